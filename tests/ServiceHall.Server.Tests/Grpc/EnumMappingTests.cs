using ServiceHall.Server.Domain;
using ServiceHall.Server.Grpc;
using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Server.Tests.Grpc;

public class EnumMappingTests
{
    public static TheoryData<RatingLevel> Levels => [.. Enum.GetValues<RatingLevel>()];

    public static TheoryData<RatingChannel> Channels => [.. Enum.GetValues<RatingChannel>()];

    public static TheoryData<StaffRole> Roles => [.. Enum.GetValues<StaffRole>()];

    [Theory]
    [MemberData(nameof(Levels))]
    public void RatingLevel_EveryDomainValue_RoundTripsThroughTheContract(RatingLevel level)
    {
        var proto = level.ToProto();

        Assert.NotEqual(Proto.RatingLevel.Unspecified, proto);
        Assert.Equal(level, proto.ToDomain("level"));
        Assert.Equal(level, proto.ToDomainOrNull());
    }

    [Fact]
    public void RatingLevel_ContractNamesMatchTheDomains()
    {
        // The contract's RATING_LEVEL_DISSATISFIED must mean the domain's Dissatisfied, not merely share a number.
        Assert.All(Enum.GetValues<RatingLevel>(), l => Assert.Equal(l.ToString(), l.ToProto().ToString()));
        Assert.Equal(Enum.GetValues<RatingLevel>().Length, Enum.GetValues<Proto.RatingLevel>().Length - 1);
    }

    [Theory]
    [InlineData(Proto.RatingLevel.Unspecified)]
    [InlineData((Proto.RatingLevel)6)]
    [InlineData((Proto.RatingLevel)(-1))]
    public void RatingLevel_UnspecifiedOrUnknown_RefusedAsInvalidArgument(Proto.RatingLevel level)
    {
        Assert.Null(level.ToDomainOrNull());
        // InvalidInputException is what the server's interceptor answers with InvalidArgument, naming the field.
        Assert.Equal("level", Assert.Throws<InvalidInputException>(() => level.ToDomain("level")).Field);
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public void RatingChannel_EveryDomainValue_RoundTripsThroughTheContract(RatingChannel channel)
    {
        var proto = channel.ToProto();

        Assert.NotEqual(Proto.RatingChannel.Unspecified, proto);
        Assert.Equal(channel.ToString(), proto.ToString());
        Assert.Equal(channel, proto.ToDomain("channel"));
        Assert.Equal(channel, proto.ToDomainOrNull());
    }

    [Theory]
    [InlineData(Proto.RatingChannel.Unspecified)]
    [InlineData((Proto.RatingChannel)8)]
    public void RatingChannel_UnspecifiedOrUnknown_RefusedAsInvalidArgument(Proto.RatingChannel channel)
    {
        Assert.Null(channel.ToDomainOrNull());
        Assert.Equal("channel", Assert.Throws<InvalidInputException>(() => channel.ToDomain("channel")).Field);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void StaffRole_EveryDomainValue_RoundTripsThroughTheContract(StaffRole role)
    {
        var proto = role.ToProto();

        Assert.NotEqual(Proto.StaffRole.Unspecified, proto);
        Assert.Equal(role.ToString(), proto.ToString());
        Assert.Equal(role, proto.ToDomain("role"));
    }

    [Theory]
    [InlineData(Proto.StaffRole.Unspecified)]
    [InlineData((Proto.StaffRole)8)]
    public void StaffRole_UnspecifiedOrUnknown_RefusedAsInvalidArgument(Proto.StaffRole role)
    {
        Assert.Equal("role", Assert.Throws<InvalidInputException>(() => role.ToDomain("role")).Field);
    }

    [Fact]
    public void EveryContractValue_BesidesUnspecified_HasADomainValue()
    {
        Assert.All(Enum.GetValues<Proto.RatingLevel>().Where(v => v != Proto.RatingLevel.Unspecified), v => v.ToDomain("level"));
        Assert.All(Enum.GetValues<Proto.RatingChannel>().Where(v => v != Proto.RatingChannel.Unspecified), v => v.ToDomain("channel"));
        Assert.All(Enum.GetValues<Proto.StaffRole>().Where(v => v != Proto.StaffRole.Unspecified), v => v.ToDomain("role"));
    }
}

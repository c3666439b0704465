using System.Text;
using Grpc.Core;
using ServiceHall.Protos.V1;

namespace ServiceHall.Server.Tests.Grpc;

public sealed class RatingServiceTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private readonly RatingService.RatingServiceClient _client = factory.CreateRatingClient();

    private async Task<RatingResult> SubmitOne(RatingSubmission rating) =>
        (await _client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { rating } })).Results.Single();

    [Fact]
    public async Task SubmitRatings_ValidRating_StoredOnce()
    {
        var rating = ServerFactory.GoodRating();

        var result = await SubmitOne(rating);

        Assert.Equal(RatingOutcome.Stored, result.Outcome);
        Assert.Equal(rating.RatingId, result.RatingId);
        Assert.Equal(1, factory.CountRatings(rating.RatingId));
    }

    [Fact]
    public async Task SubmitRatings_SameIdAgain_AlreadyStoredAndNoSecondRow()
    {
        var rating = ServerFactory.GoodRating();
        await SubmitOne(rating);

        // A retry that differs in content must not overwrite what was stored either.
        var retry = rating.Clone();
        retry.Level = RatingLevel.Satisfied;
        var result = await SubmitOne(retry);

        Assert.Equal(RatingOutcome.AlreadyStored, result.Outcome);
        Assert.Equal(1, factory.CountRatings(rating.RatingId));
        Assert.Equal(1, factory.Scalar("SELECT level FROM ratings WHERE id = @id", ("id", rating.RatingId)));
    }

    [Fact]
    public async Task SubmitRatings_MixedBatch_ValidOnesStoredInvalidOnesRejectedInOrder()
    {
        var good = ServerFactory.GoodRating();
        var badWithoutReason = ServerFactory.GoodRating();
        badWithoutReason.Level = RatingLevel.Dissatisfied;
        var badWithTag = ServerFactory.GoodRating();
        badWithTag.Level = RatingLevel.VeryDissatisfied;
        badWithTag.ReasonTagCodes.Add("EFF_LONG_WAIT");
        badWithTag.ReasonTagListVersion = "2026.1";

        var response = await _client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { good, badWithoutReason, badWithTag } });

        Assert.Equal([good.RatingId, badWithoutReason.RatingId, badWithTag.RatingId], response.Results.Select(r => r.RatingId));
        Assert.Equal(RatingOutcome.Stored, response.Results[0].Outcome);
        Assert.Equal(RatingOutcome.Rejected, response.Results[1].Outcome);
        Assert.Equal("reason_tag_codes", response.Results[1].Field);
        Assert.Equal(RatingOutcome.Stored, response.Results[2].Outcome);
        Assert.Equal(0, factory.CountRatings(badWithoutReason.RatingId));
        Assert.Equal(1, factory.CountRatings(badWithTag.RatingId));
    }

    public static TheoryData<string, Action<RatingSubmission>> InvalidRatings => new()
    {
        { "rating_id", r => r.RatingId = "42" },
        { "hall_code", r => r.HallCode = "370104-NOPE" },
        { "window_code", r => r.WindowCode = "Z99" },
        { "window_code", r => r.WindowCode = "" },
        { "service_item_code", r => r.ServiceItemCode = "NO-SUCH-ITEM" },
        { "channel", r => r.Channel = RatingChannel.Unspecified },
        { "level", r => r.Level = RatingLevel.Unspecified },
        { "level", r => r.Level = (RatingLevel)9 },
        { "reason_tag_codes", r => { r.ReasonTagCodes.Add("NO_SUCH_TAG"); r.ReasonTagListVersion = "2026.1"; } },
        { "reason_tag_list_version", r => { r.ReasonTagCodes.Add("EFF_FAST"); r.ReasonTagListVersion = "2019.1"; } },
        { "text", r => r.Text = new string('长', 501) },
        { "rated_at", r => r.RatedAt = null },
        { "rated_at", r => r.RatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1)) },
        { "callback_phone", r => r.CallbackPhone = "110" },
    };

    [Theory]
    [MemberData(nameof(InvalidRatings))]
    public async Task SubmitRatings_InvalidRating_RejectedWithFieldAndNothingStored(string field, Action<RatingSubmission> spoil)
    {
        var rating = ServerFactory.GoodRating();
        spoil(rating);

        var result = await SubmitOne(rating);

        Assert.Equal(RatingOutcome.Rejected, result.Outcome);
        Assert.Equal(field, result.Field);
        Assert.NotEmpty(result.Reason);
        Assert.Equal(0, factory.CountRatings(rating.RatingId));
    }

    [Fact]
    public async Task SubmitRatings_EmptyBatch_InvalidArgument()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => _client.SubmitRatingsAsync(new SubmitRatingsRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("ratings", Assert.Single(e.FieldsAtFault()));
    }

    [Fact]
    public async Task SubmitRatings_SameIdTwiceInOneBatch_InvalidArgumentAndNothingStored()
    {
        var first = ServerFactory.GoodRating();
        var other = ServerFactory.GoodRating();
        var twin = first.Clone();
        twin.RatingId = first.RatingId.ToUpperInvariant();

        var e = await Assert.ThrowsAsync<RpcException>(
            () => _client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { first, other, twin } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(0, factory.CountRatings(first.RatingId));
        Assert.Equal(0, factory.CountRatings(other.RatingId));
    }

    [Fact]
    public async Task SubmitRatings_OverTheBatchLimit_InvalidArgument()
    {
        var request = new SubmitRatingsRequest();
        request.Ratings.AddRange(Enumerable.Range(0, 501).Select(_ => ServerFactory.GoodRating()));

        var e = await Assert.ThrowsAsync<RpcException>(() => _client.SubmitRatingsAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(0, factory.CountRatings(request.Ratings[0].RatingId));
    }

    [Fact]
    public async Task SubmitRatings_CallbackPhone_StoredEncryptedNotInPlainText()
    {
        var rating = ServerFactory.GoodRating();
        rating.Level = RatingLevel.Dissatisfied;
        rating.Text = "窗口人员离岗";
        rating.CallbackPhone = "13912345678";

        var result = await SubmitOne(rating);

        Assert.Equal(RatingOutcome.Stored, result.Outcome);
        Assert.Equal(1, factory.Scalar("SELECT real_name FROM ratings WHERE id = @id", ("id", rating.RatingId)));
        Assert.Equal(1, factory.Scalar("SELECT COUNT(*) FROM rater_contacts WHERE rating_id = @id", ("id", rating.RatingId)));
        Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM rater_contacts WHERE phone_protected LIKE '%13912345678%'"));
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(factory.DatabasePath)!, "servicehall.db*"))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.DoesNotContain("13912345678", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }
}

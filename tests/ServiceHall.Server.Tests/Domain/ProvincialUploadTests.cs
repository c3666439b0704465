using System.Text.Json;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>The items for the provincial platform (docs/provincial-relay.md#wire-format).</summary>
public class ProvincialUploadTests
{
    private static Rating Rated(RatingLevel level, RatingChannel channel = RatingChannel.HallTerminal, bool active = true) => new(
        Guid.CreateVersion7(), "BJ-2026-001", "370104-ZWZX", "370104", "A01", "11370104MB2851301K000105001000", "XZSP", "S001", channel, level,
        level.IsBad() ? ["EFF_LONG_WAIT"] : [], "2026.1", level.IsBad() ? "等了很久" : null,
        // 2026-03-02 01:59:30 UTC is 09:59:30 in Beijing.
        new DateTimeOffset(2026, 3, 2, 1, 59, 30, TimeSpan.Zero), new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero), "13800000000", "kiosk-01")
    {
        IsActive = active,
    };

    private static JsonElement Document(ProvincialUpload upload) => JsonDocument.Parse(upload.Document).RootElement;

    [Theory]
    [InlineData(RatingLevel.VerySatisfied, 5, "非常满意")]
    [InlineData(RatingLevel.Satisfied, 4, "满意")]
    [InlineData(RatingLevel.BasicallySatisfied, 3, "基本满意")]
    [InlineData(RatingLevel.Dissatisfied, 2, "不满意")]
    [InlineData(RatingLevel.VeryDissatisfied, 1, "非常不满意")]
    public void OfRating_Level_InTheProvincialCodingWithItsLabel(RatingLevel level, int provincial, string label)
    {
        var document = Document(ProvincialUploads.OfRating(Rated(level)));

        Assert.Equal(provincial, document.GetProperty("satisfaction").GetInt32());
        Assert.Equal(label, document.GetProperty("satisfactionName").GetString());
        Assert.Equal(level, RatingLevels.FromProvincialCode(document.GetProperty("satisfaction").GetInt32()));
    }

    [Theory]
    [InlineData(RatingChannel.Pc, 1, "PC端")]
    [InlineData(RatingChannel.Mobile, 2, "移动服务端")]
    [InlineData(RatingChannel.QrCode, 3, "二维码")]
    [InlineData(RatingChannel.HallPad, 4, "政务大厅平板电脑")]
    [InlineData(RatingChannel.HallTerminal, 5, "政务大厅其他终端")]
    [InlineData(RatingChannel.Phone, 6, "电话")]
    [InlineData(RatingChannel.Sms, 7, "短信")]
    public void OfRating_Channel_TheNationalListsCodeAndName(RatingChannel channel, int code, string name)
    {
        var document = Document(ProvincialUploads.OfRating(Rated(RatingLevel.Satisfied, channel)));

        Assert.Equal(code, document.GetProperty("channel").GetInt32());
        Assert.Equal(name, document.GetProperty("channelName").GetString());
    }

    [Fact]
    public void OfRating_TimesInBeijingAndNothingOfTheRater()
    {
        var rating = Rated(RatingLevel.VeryDissatisfied);
        var upload = ProvincialUploads.OfRating(rating);
        var document = Document(upload);

        Assert.Equal("rating:" + rating.Id, upload.Key);
        Assert.Equal("2026-03-02 09:59:30", document.GetProperty("evaluationTime").GetString());
        Assert.Equal("370104", document.GetProperty("areaCode").GetString());
        Assert.Equal("11370104MB2851301K000105001000", document.GetProperty("taskCode").GetString());
        Assert.Equal(1, document.GetProperty("realName").GetInt32());
        Assert.DoesNotContain("13800000000", upload.Document, StringComparison.Ordinal);
        Assert.DoesNotContain("kiosk-01", upload.Document, StringComparison.Ordinal);
    }

    [Fact]
    public void IsUploaded_SystemDefault_NotSentBack()
    {
        Assert.True(ProvincialUploads.IsUploaded(Rated(RatingLevel.Satisfied)));
        Assert.False(ProvincialUploads.IsUploaded(Rated(RatingLevel.Satisfied, active: false)));
    }

    [Fact]
    public void OfCaseSteps_InOrder_NotesAndContactRevealsStayInTheDistrict()
    {
        var at = CaseTestData.MondayMorning;
        var c = BadReviewCase.Open(Guid.CreateVersion7(), Rated(RatingLevel.VeryDissatisfied) with { ReceivedAt = at, RatedAt = at }, CaseTestData.Limits);
        c.Assign(CaseTestData.Manager, "RSJ", null, "请张三尽快回访", at.AddMinutes(5));
        c.RecordContactRevealed(CaseTestData.Handler, "回访", at.AddMinutes(10));
        var before = c.Events.Count;

        var all = ProvincialUploads.OfCaseSteps(c, 0).ToList();
        var sinceReveal = ProvincialUploads.OfCaseSteps(c, before).ToList();

        Assert.Equal([$"case:{c.Id}:1", $"case:{c.Id}:2"], all.Select(u => u.Key));
        Assert.All(all, u => Assert.Equal(c.RatingId.ToString(), u.Stream));
        Assert.Equal([1, 2], all.Select(u => u.StreamSequence));
        Assert.Empty(sinceReveal);
        Assert.Equal("差评立案", Document(all[0]).GetProperty("stepName").GetString());
        Assert.Equal("2026-03-02 10:05:00", Document(all[1]).GetProperty("stepTime").GetString());
        // A step's note is the district's working record, not the province's.
        Assert.DoesNotContain("张三", all[1].Document, StringComparison.Ordinal);
    }

    [Fact]
    public void IsUploaded_EveryStepKind_Decided()
    {
        foreach (var kind in Enum.GetValues<CaseEventKind>())
        {
            _ = ProvincialUploads.IsUploaded(kind);
        }

        Assert.False(ProvincialUploads.IsUploaded(CaseEventKind.CallAttempted));
        Assert.False(ProvincialUploads.IsUploaded(CaseEventKind.ContactRevealed));
        Assert.True(ProvincialUploads.IsUploaded(CaseEventKind.Closed));
    }
}

using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Disclosure;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// What a hostile or careless 差评 text becomes in every public channel: GetPublication, the open-data JSON and the
/// CSV a journalist opens in a spreadsheet (docs/rules/indicators-and-disclosure.md#de-identification,
/// docs/rules/privacy.md#in-public).
/// </summary>
public sealed class PublicationSafetyTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private sealed class SeptemberServer : ServerFactory
    {
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 9, 20, 10, 0, 0, China));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

    /// <summary>Submits one 差评 per text in September, publishes September and returns every public form of it.</summary>
    private static async Task<(string Rpc, string Json, string Csv)> PublishAsync(params string[] texts)
    {
        using var server = new SeptemberServer();
        var request = new SubmitRatingsRequest();
        foreach (var text in texts)
        {
            var rating = ServerFactory.GoodRating();
            rating.RatedAt = Timestamp.FromDateTimeOffset(server.Clock.GetUtcNow());
            rating.Level = ServiceHall.Protos.V1.RatingLevel.VeryDissatisfied;
            rating.Text = text;
            request.Ratings.Add(rating);
        }

        await server.CreateRatingClient().SubmitRatingsAsync(request);
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 21, 9, 0, 0, China));
        await server.Services.DraftAndApproveClosedPeriodsAsync();
        var rpc = (await new DisclosureService.DisclosureServiceClient(server.CreateChannel())
            .GetPublicationAsync(new GetPublicationRequest { PeriodKey = "2026-09" })).ContentJson;
        var http = server.CreateClient();
        return (rpc,
            await http.GetStringAsync("/open-data/publications/2026-09/v1.json"),
            await http.GetStringAsync("/open-data/publications/2026-09/v1/bad-reviews.csv"));
    }

    [Fact]
    public async Task Publish_PlantedIdentities_NoneInAnyChannelAndTheUnsafeTextWithheldAndCounted()
    {
        var (rpc, json, csv) = await PublishAsync(
            "电话 1 3 8 1 2 3 4 5 6 7 8，等了两个小时",
            "身份证 370104 19900101 123X，材料齐全还被退回",
            "我妈刘桂英八十多岁了还让她亲自跑",
            "那天张建国在窗口，推给别人就走了");

        foreach (var channel in new[] { rpc, json, csv })
        {
            foreach (var secret in new[] { "5 6 7 8", "5678", "123X", "19900101", "刘桂英", "张建国" })
            {
                Assert.DoesNotContain(secret, channel, StringComparison.Ordinal);
            }

            Assert.Contains(PublicText.PhoneMark, channel, StringComparison.Ordinal);
            Assert.Contains(PublicText.WithheldText, channel, StringComparison.Ordinal);
        }

        Assert.Equal(1, JsonDocument.Parse(json).RootElement.GetProperty("content").GetProperty("withheldTexts").GetInt32());
    }

    [Fact]
    public async Task Publish_TextNamingStaffWhoLeftBeforeTheDraft_NameAndStaffNumberReplacedAsForCurrentStaff()
    {
        using var server = new SeptemberServer();
        var request = new SubmitRatingsRequest();
        foreach (var text in new[] { "王晓燕态度很差", "工号HY0101的那位推给别人就走了" })
        {
            var rating = ServerFactory.GoodRating();
            rating.RatedAt = Timestamp.FromDateTimeOffset(server.Clock.GetUtcNow());
            rating.Level = ServiceHall.Protos.V1.RatingLevel.VeryDissatisfied;
            rating.Text = text;
            request.Ratings.Add(rating);
        }

        await server.CreateRatingClient().SubmitRatingsAsync(request);
        // She leaves in October: the catalog saved then no longer names her anywhere.
        var source = server.Services.GetRequiredService<Server.Storage.CatalogSource>();
        await server.Services.GetRequiredService<Server.Storage.ICatalogStore>().SaveCatalogAsync(
            Tests.Storage.StoreContractTests.WithoutStaff(source.Current, "HY0101"), demoStore: false, CancellationToken.None);
        await source.LoadAsync(CancellationToken.None);
        Assert.DoesNotContain(source.Current.Halls.SelectMany(h => h.Windows).SelectMany(w => w.Staff), s => s.StaffId == "HY0101");
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 21, 9, 0, 0, China));
        await server.Services.DraftAndApproveClosedPeriodsAsync();

        var json = await server.CreateClient().GetStringAsync("/open-data/publications/2026-09/v1.json");
        var texts = JsonDocument.Parse(json).RootElement.GetProperty("content").GetProperty("badReviews").EnumerateArray()
            .Select(r => r.GetProperty("text").GetString()).ToList();
        Assert.Contains($"{PublicText.StaffMark}态度很差", texts);
        Assert.Contains($"工号{PublicText.StaffMark}的那位推给别人就走了", texts);
        Assert.DoesNotContain("王晓燕", json, StringComparison.Ordinal);
        Assert.DoesNotContain("HY0101", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_FormulaAndInvisibleCharacters_CsvCellsNeutralisedAndControlsGone()
    {
        var (rpc, json, csv) = await PublishAsync(
            "=HYPERLINK(\"http://evil.example\",\"点此\")",
            "+1+cmd|' /C calc'!A0",
            "-2+3 等太久",
            "@窗口 态度差",
            // (A NUL is refused at intake, so it never reaches a publication; the other invisible characters do.)
            "等了两\u202e个\u200b小时\u0007");

        var cells = csv.TrimStart('\uFEFF').Split("\r\n").Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[6]).ToList();
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",", csv, StringComparison.Ordinal);
        Assert.Contains("'+1+cmd|' /C calc'!A0", cells);
        Assert.Contains("'-2+3 等太久", cells);
        Assert.Contains("'@窗口 态度差", cells);
        Assert.Contains("等了两个小时", cells);
        foreach (var channel in new[] { rpc, json, csv })
        {
            Assert.DoesNotContain(channel, c => c is '\u0000' or '\u202e' or '\u200b' or '\u0007');
            Assert.DoesNotContain("\\u0000", channel, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("=1+1")]
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData("@A1")]
    [InlineData("\t=1")]
    [InlineData("\r=1")]
    [InlineData(" =1")]
    public void Table_CellStartingAsAFormula_PrefixedWithAQuote(string cell)
    {
        var content = new PublicationContent(
            "2026-09", "2026年9月", new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 30), "370104", [], [], [], [], [], [], [],
            [new PublishedBadReview(new DateOnly(2026, 9, 20), cell, "", "", "很不满意", [], "", "处理中")]);

        var row = OpenData.Table(content, "bad-reviews")!.Split("\r\n")[1];

        Assert.StartsWith("2026-09-20,'", row.Replace("\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Server.Accounts;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Disclosure;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// The life of a periodic disclosure: drafted by the job, reviewed and approved by the 政务公开 officer, published with
/// its sign-off, and withdrawn from every channel (docs/rules/indicators-and-disclosure.md#review-before-release,
/// #withdrawal). Runs on whichever store the suite runs on.
/// </summary>
public sealed class DisclosureReviewTests : IDisposable
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private const string PhoneText = "经办人说明天再来，我的电话13812345678";
    private const string LeakText = "态度很差等了很久，隔壁窗口那个戴眼镜的高个子";

    private readonly ReviewServer _server = new();

    /// <summary>The real server on a clock that starts in September 2026 and that the test moves.</summary>
    private sealed class ReviewServer : ServerFactory
    {
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 9, 20, 10, 0, 0, China));

        public ErrorLog Errors { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(Errors));
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }

        public Task CreateAsync(string user, DomainRole role) =>
            Services.GetRequiredService<StaffSignIn>().CreateAccountAsync(user, user, role, null, SecuredServer.Password, CancellationToken.None);

        public async Task<string> SignInAsync(string user) =>
            (await new AccountService.AccountServiceClient(CreateChannel())
                .SignInAsync(new SignInRequest { UserName = user, Password = SecuredServer.Password })).AccessToken;

        public CallInvoker Invoker(string? bearer) => bearer is null
            ? CreateChannel().CreateCallInvoker()
            : CreateChannel().Intercept(m =>
            {
                m.Add("authorization", "Bearer " + bearer);
                return m;
            });
    }

    private DisclosureService.DisclosureServiceClient Disclosure(string? token = null) => new(_server.Invoker(token));

    /// <summary>Two 差评 with words in September 2026; October 1st the job drafts September.</summary>
    private async Task<(string Officer, string Auditor, string Manager)> DraftSeptemberAsync()
    {
        var request = new SubmitRatingsRequest();
        foreach (var text in new[] { PhoneText, LeakText })
        {
            var rating = ServerFactory.GoodRating();
            rating.RatedAt = Timestamp.FromDateTimeOffset(_server.Clock.GetUtcNow());
            rating.Level = RatingLevel.VeryDissatisfied;
            rating.Text = text;
            request.Ratings.Add(rating);
        }

        await _server.CreateRatingClient().SubmitRatingsAsync(request);
        await _server.CreateAsync("officer", DomainRole.DisclosureOfficer);
        await _server.CreateAsync("auditor", DomainRole.Auditor);
        await _server.CreateAsync("manager", DomainRole.HallManager);
        // September's figures are final on 21 October (5 working days of late ratings, then 5 to rectify, across the
        // National Day holidays): it is drafted then.
        _server.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 21, 9, 0, 0, China));
        await _server.Services.GetRequiredService<DisclosurePublisher>().DraftClosedPeriodsAsync(CancellationToken.None);
        return (await _server.SignInAsync("officer"), await _server.SignInAsync("auditor"), await _server.SignInAsync("manager"));
    }

    private async Task<ServiceHall.Protos.V1.DisclosureDraft> SeptemberDraftAsync(string token) =>
        (await Disclosure(token).ListDraftsAsync(new ListDraftsRequest())).Drafts.Single(d => d.PeriodKey == "2026-09");

    [Fact]
    public async Task Review_DraftNotPublic_OfficerSeesBothTexts_MasksAndApproves_PublishedWithSignOff_AllAudited()
    {
        var (officer, auditor, manager) = await DraftSeptemberAsync();

        // A draft is not public in any channel.
        Assert.Empty((await Disclosure().ListPublicationsAsync(new ListPublicationsRequest())).Publications);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.CreateClient().GetAsync("/open-data/publications/2026-09/v1.json")).StatusCode);

        // The officer sees what the citizen wrote beside what the de-identification made of it; a hall manager may not.
        var draft = await SeptemberDraftAsync(officer);
        var phone = draft.Texts.Single(t => t.Original == PhoneText);
        Assert.True(phone.Changed);
        Assert.Equal(phone.Scrubbed, phone.Published);
        Assert.DoesNotContain("13812345678", phone.Scrubbed, StringComparison.Ordinal);
        Assert.Equal("2026-10-31", draft.DueDay); // ReviewDays (10) after it was drafted
        Assert.False(draft.Overdue);
        Assert.Equal(StatusCode.PermissionDenied,
            (await Assert.ThrowsAsync<RpcException>(() => Disclosure(manager).ListDraftsAsync(new ListDraftsRequest()).ResponseAsync)).StatusCode);

        // An edit that adds words is refused, and the draft is unchanged; only the officer may edit.
        var hostile = await Assert.ThrowsAsync<RpcException>(() => Disclosure(officer).RedactDraftTextAsync(new RedactDraftTextRequest
        {
            PeriodKey = "2026-09", Version = 1, Row = phone.Row, Field = DraftTextField.CitizenText, Text = phone.Scrubbed + "（已核实为恶意差评）",
            Reason = "补充说明",
        }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, hostile.StatusCode);
        Assert.Equal(["text"], hostile.FieldsAtFault());
        Assert.Equal(0, (await SeptemberDraftAsync(officer)).Revision);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => Disclosure(auditor).HideDraftTextAsync(
            new HideDraftTextRequest { PeriodKey = "2026-09", Version = 1, Row = phone.Row, Field = DraftTextField.CitizenText, Reason = "试" }).ResponseAsync)).StatusCode);
        var noReason = await Assert.ThrowsAsync<RpcException>(() => Disclosure(officer).HideDraftTextAsync(
            new HideDraftTextRequest { PeriodKey = "2026-09", Version = 1, Row = phone.Row, Field = DraftTextField.CitizenText, Reason = " " }).ResponseAsync);
        Assert.Equal(["reason"], noReason.FieldsAtFault());
        // Which of the row's texts is meant must be said: the citizen's words or the handler's 整改情况.
        var noField = await Assert.ThrowsAsync<RpcException>(() => Disclosure(officer).HideDraftTextAsync(
            new HideDraftTextRequest { PeriodKey = "2026-09", Version = 1, Row = phone.Row, Reason = "试" }).ResponseAsync);
        Assert.Equal(["field"], noField.FieldsAtFault());
        Assert.Equal(DraftTextField.CitizenText, phone.Field);

        // Masking: "经办人" becomes "＊＊＊". (Each step a minute later, so the audit's order is the order of the steps.)
        _server.Clock.Advance(TimeSpan.FromMinutes(1));
        var masked = "＊＊＊" + phone.Scrubbed[3..];
        var redacted = (await Disclosure(officer).RedactDraftTextAsync(new RedactDraftTextRequest
        {
            PeriodKey = "2026-09", Version = 1, Row = phone.Row, Field = DraftTextField.CitizenText, Text = masked, Reason = "可识别经办人员",
        })).Draft;
        Assert.Equal(1, redacted.Revision);
        Assert.Equal(DraftTextDecision.Redacted, redacted.Texts.Single(t => t.Row == phone.Row).Decision);

        // Approving what one saw before someone else's edit is refused; approving the current revision publishes it.
        _server.Clock.Advance(TimeSpan.FromMinutes(1));
        var stale = await Assert.ThrowsAsync<RpcException>(() => Disclosure(officer).ApproveDraftAsync(
            new ApproveDraftRequest { PeriodKey = "2026-09", Version = 1, Revision = 0 }).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        var approved = (await Disclosure(officer).ApproveDraftAsync(new ApproveDraftRequest { PeriodKey = "2026-09", Version = 1, Revision = 1 })).Header;

        Assert.Equal("济南市槐荫区行政审批服务局（演示）", approved.SignOff.IssuingBody);
        Assert.Equal(DisclosureReview.ApprovingRole, approved.SignOff.ApprovingRole);
        Assert.Equal(_server.Clock.GetUtcNow(), approved.SignOff.ApprovedAt.ToDateTimeOffset());
        Assert.DoesNotContain(await SeptemberDraftsAsync(officer), d => d.PeriodKey == "2026-09");
        var json = (await Disclosure().GetPublicationAsync(new GetPublicationRequest { PeriodKey = "2026-09" })).ContentJson;
        Assert.Contains(masked, json, StringComparison.Ordinal);
        Assert.DoesNotContain("经办人说", json, StringComparison.Ordinal);
        Assert.Equal(approved.SignOff.Contact, JsonDocument.Parse(json).RootElement.GetProperty("signOff").GetProperty("contact").GetString());

        // The auditor reads who did what, when and why; the citizen's words are not in the audit.
        var audit = (await Disclosure(auditor).ListDisclosureActionsAsync(new ListDisclosureActionsRequest())).Actions;
        Assert.Equal(["approved", "redacted", "drafted"], audit.Where(a => a.PeriodKey == "2026-09").Select(a => a.Kind));
        var redaction = audit.Single(a => a.Kind == "redacted");
        Assert.Equal(("officer", "可识别经办人员", phone.Row), (redaction.UserName, redaction.Reason, redaction.Row));
        Assert.Equal("system", audit.Single(a => a.Kind == "drafted" && a.PeriodKey == "2026-09").UserName);
        Assert.DoesNotContain(audit, a => a.Reason.Contains("13812345678", StringComparison.Ordinal));
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(
            () => Disclosure(manager).ListDisclosureActionsAsync(new ListDisclosureActionsRequest()).ResponseAsync)).StatusCode);
    }

    private async Task<IReadOnlyList<ServiceHall.Protos.V1.DisclosureDraft>> SeptemberDraftsAsync(string token) =>
        (await Disclosure(token).ListDraftsAsync(new ListDraftsRequest())).Drafts;

    [Fact]
    public async Task Draft_PastItsDueDay_ReportedOverdueToTheConsoleAndLoggedAsAnError()
    {
        await DraftSeptemberAsync();
        await _server.Services.GetRequiredService<DisclosurePublisher>().DraftClosedPeriodsAsync(CancellationToken.None);
        Assert.DoesNotContain(_server.Errors.Lines, l => l.Contains("Disclosure 2026-09 ", StringComparison.Ordinal));

        _server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 1, 9, 0, 0, China));
        await _server.Services.GetRequiredService<DisclosurePublisher>().DraftClosedPeriodsAsync(CancellationToken.None);

        Assert.True((await SeptemberDraftAsync(await _server.SignInAsync("officer"))).Overdue);
        Assert.Contains(_server.Errors.Lines, l => l.Contains("2026-09 v1 is NOT APPROVED and was due 2026-10-31", StringComparison.Ordinal));
    }

    /// <summary>The error lines the server logs.</summary>
    private sealed class ErrorLog : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Collector(_lines);

        public void Dispose()
        {
        }

        private sealed class Collector(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Error)
                {
                    lines.Enqueue(formatter(state, exception));
                }
            }
        }
    }

    [Fact]
    public async Task Withdraw_AText_GoneFromEveryPublicChannel_NoticeSaysWhenAndWhy_FiguresUnchanged()
    {
        var (_, _, manager) = await DraftSeptemberAsync();
        await _server.Services.ApproveDraftsAsync();
        var before = await Disclosure().GetPublicationAsync(new GetPublicationRequest { PeriodKey = "2026-09" });
        var reviews = JsonDocument.Parse(before.ContentJson).RootElement.GetProperty("content").GetProperty("badReviews").EnumerateArray().ToList();
        var row = reviews.FindIndex(r => r.GetProperty("text").GetString() == LeakText);
        // The search finds the text where it is published, so its absence afterwards means something.
        var found = (await PublicOutputsAsync("2026-09", 1)).Where(o => o.Text.Contains("戴眼镜", StringComparison.Ordinal)).Select(o => o.Channel);
        Assert.Equal(["GetPublication", "GetPublication latest", "json", "bad-reviews"], found);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Disclosure(manager).WithdrawPublishedAsync(
            new WithdrawPublishedRequest { PeriodKey = "2026-09", Version = 1, Row = row, Reason = "泄露" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        _server.Clock.Advance(TimeSpan.FromDays(2));
        var officer = await _server.SignInAsync("officer");
        var header = (await Disclosure(officer).WithdrawPublishedAsync(
            new WithdrawPublishedRequest { PeriodKey = "2026-09", Version = 1, Row = row, Reason = "可识别工作人员体貌" })).Header;

        var notice = Assert.Single(header.Withdrawals);
        Assert.Equal(("可识别工作人员体貌", $"第 {row + 1} 条差评的文字", _server.Clock.GetUtcNow()), (notice.Reason, notice.What, notice.WithdrawnAt.ToDateTimeOffset()));
        foreach (var (channel, text) in await PublicOutputsAsync("2026-09", 1))
        {
            Assert.False(text.Contains("戴眼镜", StringComparison.Ordinal), channel);
        }

        var after = await Disclosure().GetPublicationAsync(new GetPublicationRequest { PeriodKey = "2026-09" });
        Assert.Equal(Figures(before.ContentJson), Figures(after.ContentJson));
        Assert.Contains("可识别工作人员体貌", after.ContentJson, StringComparison.Ordinal);
        Assert.Contains("可识别工作人员体貌", (await Disclosure().ListPublicationsAsync(new ListPublicationsRequest())).Publications.Single(p => p.PeriodKey == "2026-09").Withdrawals[0].Reason,
            StringComparison.Ordinal);
        // The same 差评 listed in the quarter went too, and nothing of it is left in the store.
        Assert.DoesNotContain("戴眼镜", (await Disclosure().GetPublicationAsync(new GetPublicationRequest { PeriodKey = "2026-Q3" })).ContentJson, StringComparison.Ordinal);
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM publications WHERE content LIKE '%戴眼镜%'"));
        Assert.Equal(["2026-09", "2026-Q3"], (await Disclosure(officer).ListDisclosureActionsAsync(new ListDisclosureActionsRequest())).Actions
            .Where(a => a.Kind == "text-withdrawn").Select(a => a.PeriodKey).Order());

        // No later draft offers it again: the year's draft lists the 差评 with the notice instead.
        // The year's figures are final in the second half of January.
        _server.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 25, 9, 0, 0, China));
        await _server.Services.GetRequiredService<DisclosurePublisher>().DraftClosedPeriodsAsync(CancellationToken.None);
        var year = (await Disclosure(await _server.SignInAsync("officer")).ListDraftsAsync(new ListDraftsRequest())).Drafts.Single(d => d.PeriodKey == "2026");
        Assert.Equal(2, year.BadReviews);
        Assert.DoesNotContain(year.Texts, t => t.Original.Contains("戴眼镜", StringComparison.Ordinal));
        Assert.Contains(year.Texts, t => t.Original == PhoneText);
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM publications WHERE content LIKE '%戴眼镜%'"));
    }

    [Fact]
    public async Task Withdraw_TheWholeVersion_OnlyTheHeaderAndTheNoticeRemain()
    {
        var (officer, _, _) = await DraftSeptemberAsync();
        await _server.Services.ApproveDraftsAsync();

        await Disclosure(officer).WithdrawPublishedAsync(new WithdrawPublishedRequest { PeriodKey = "2026-09", Version = 1, Reason = "整版数据有误" });

        var got = await Disclosure().GetPublicationAsync(new GetPublicationRequest { PeriodKey = "2026-09", Version = 1 });
        Assert.True(got.Header.Withdrawn);
        Assert.Equal("", got.ContentJson);
        var http = _server.CreateClient();
        var file = await http.GetAsync("/open-data/publications/2026-09/v1.json");
        Assert.Equal(HttpStatusCode.Gone, file.StatusCode);
        Assert.Contains("整版数据有误", await file.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await http.GetAsync("/open-data/publications/2026-09/v1/indicators.csv")).StatusCode);
        foreach (var (channel, text) in await PublicOutputsAsync("2026-09", 1))
        {
            Assert.False(text.Contains("戴眼镜", StringComparison.Ordinal) || text.Contains("经办人说", StringComparison.Ordinal), channel);
        }

        var again = await Assert.ThrowsAsync<RpcException>(() => Disclosure(officer).WithdrawPublishedAsync(
            new WithdrawPublishedRequest { PeriodKey = "2026-09", Version = 1, Row = 0, Reason = "再撤" }).ResponseAsync);
        Assert.Equal(["version"], again.FieldsAtFault());
    }

    /// <summary>Every public output of a version: the RPCs, the JSON files and every CSV table.</summary>
    private async Task<List<(string Channel, string Text)>> PublicOutputsAsync(string periodKey, int version)
    {
        var http = _server.CreateClient();
        var outputs = new List<(string, string)>
        {
            ("ListPublications", (await Disclosure().ListPublicationsAsync(new ListPublicationsRequest())).ToString()),
            ("GetPublication", (await Disclosure().GetPublicationAsync(new GetPublicationRequest { PeriodKey = periodKey, Version = version })).ToString()),
            ("GetPublication latest", (await Disclosure().GetPublicationAsync(new GetPublicationRequest { PeriodKey = periodKey })).ToString()),
            ("publications.json", await http.GetStringAsync("/open-data/publications.json")),
        };
        var file = await http.GetAsync($"/open-data/publications/{periodKey}/v{version}.json");
        Assert.Equal("no-store", file.Headers.CacheControl?.ToString());
        outputs.Add(("json", await file.Content.ReadAsStringAsync()));
        foreach (var table in OpenData.Tables)
        {
            outputs.Add((table, await (await http.GetAsync($"/open-data/publications/{periodKey}/v{version}/{table}.csv")).Content.ReadAsStringAsync()));
        }

        return outputs;
    }

    private static string Figures(string contentJson)
    {
        var content = JsonDocument.Parse(contentJson).RootElement.GetProperty("content");
        return string.Join("|", new[] { "headline", "levels", "departments", "windows", "trend", "badReviewReasons" }.Select(p => content.GetProperty(p).GetRawText()))
            + content.GetProperty("badReviews").GetArrayLength();
    }

    public void Dispose() => _server.Dispose();
}

using Bunit;
using Grpc.Core;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Kiosk.Accessibility;
using ServiceHall.Kiosk.Components.Pages;
using ServiceHall.Kiosk.Enquiries;
using ServiceHall.Kiosk.Rating;
using ServiceHall.Kiosk.Resources;
using ServiceHall.Kiosk.Services;
using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Kiosk.Tests;

/// <summary>办事咨询, 查看答复 and 办不成事反映 on the kiosk: the forms' checks, the screens, and what reaches the server.</summary>
public sealed class EnquiryTests : IAsyncLifetime
{
    private const string PensionItem = "11370104MB2851302F000117010000";

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 9, 23, 9, 30, 0, TimeSpan.FromHours(8)));
    private readonly BunitContext _ctx = new();
    private readonly FakeQuestionServer _server = new();
    private readonly Outbox _outbox;

    public EnquiryTests()
    {
        var options = TestCatalog.Options(_dir.Path);
        var cache = new CatalogCache(
            new ServiceHallClient(new FakeCatalogServer(), new FakeRatingServer(), _clock),
            TestCatalog.Wrap(options), KioskPaths.Resolve(options, "/"), _clock, NullLogger<CatalogCache>.Instance);
        cache.RefreshAsync(CancellationToken.None).GetAwaiter().GetResult();
        _outbox = new Outbox(_dir.File("outbox.db"), _clock);
        _ctx.Services.AddSingleton(cache);
        _ctx.Services.AddSingleton(_outbox);
        _ctx.Services.AddSingleton<TimeProvider>(_clock);
        _ctx.Services.AddSingleton(TestCatalog.Wrap(options));
        _ctx.Services.AddSingleton(new EnquiryClient(_server, _clock));
        _ctx.Services.AddScoped<KioskSessionPreferences>();
        _ctx.Services.AddScoped<RatingSession>();
        _ctx.Services.AddLogging();
        _ctx.Services.AddLocalization();
        _ctx.Services.AddScoped<KioskText>();
        _ctx.Services.AddScoped<KioskVoice>();
        _ctx.SetRendererInfo(new RendererInfo("Server", true));
        _ctx.JSInterop.SetupModule("./js/speech.js").Mode = JSRuntimeMode.Loose;
    }

    // ---- the forms' rules ----

    [Theory]
    [InlineData("")]
    [InlineData("   \u3000  ")]
    public void QuestionForm_NothingButSpaces_FaultOnTheText(string text)
    {
        var faults = new QuestionForm { Text = text }.Check();

        Assert.Equal("Enquiry.Error.QuestionMissing", Assert.Single(faults).Value);
        Assert.Equal("text", faults.Keys.Single());
    }

    [Fact]
    public void QuestionForm_LimitIsFiveHundredCharactersAfterTrimming()
    {
        Assert.Empty(new QuestionForm { Text = "  " + new string('问', 500) + "  " }.Check());
        Assert.Equal("Enquiry.Error.TooLong", new QuestionForm { Text = new string('问', 501) }.Check()["text"]);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("138 1234 5678", "13812345678")]
    [InlineData("１３８１２３４５６７８", "13812345678")] // full-width digits, as an input method may give them
    [InlineData("0531－87598110", "0531-87598110")]
    public void QuestionForm_PhoneOptionalAndReadAsTheServerReadsIt(string typed, string? sent)
    {
        var form = new QuestionForm { Text = "营业执照需要本人到场吗？", Phone = typed };

        Assert.Empty(form.Check());
        Assert.Equal(sent, form.ToQuestion(_clock.GetUtcNow()).ContactPhone);
    }

    [Theory]
    [InlineData("1381234567")]
    [InlineData("23812345678")]
    [InlineData("138123456789")]
    [InlineData("电话138")]
    [InlineData("87598110")]
    public void QuestionForm_NotAPhoneNumber_FaultOnThePhone(string typed)
    {
        var faults = new QuestionForm { Text = "问题", Phone = typed }.Check();

        Assert.Equal("Enquiry.Error.Phone", faults["contact_phone"]);
    }

    [Fact]
    public void QuestionForm_ResendOfUnchangedWords_KeepsTheFirstRequestIdAndTime()
    {
        var form = new QuestionForm { Text = "营业执照需要本人到场吗？", Phone = "13812345678", FaqConsent = true };
        var first = form.ToQuestion(_clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromSeconds(12));

        var again = form.ToQuestion(_clock.GetUtcNow());
        form.Text += "谢谢";
        var changed = form.ToQuestion(_clock.GetUtcNow());

        Assert.Equal(first.RequestId, again.RequestId);
        Assert.Equal(first.SubmittedAt, again.SubmittedAt);
        Assert.NotEqual(first.RequestId, changed.RequestId);
    }

    [Fact]
    public void ReportForm_EachFaultNamesItsField()
    {
        var today = new DateOnly(2026, 9, 23);
        var faults = new CouldNotBeDoneForm { What = " ", Window = new string('A', 65), HappenedOn = today.AddDays(1) }.Check(today);

        Assert.Equal("Enquiry.Error.WhatMissing", faults["what"]);
        Assert.Equal("Enquiry.Error.TooLong", faults["window"]);
        Assert.Equal("Enquiry.Error.DayOutOfRange", faults["happened_on"]);
        Assert.Equal("Enquiry.Error.PhoneMissing", faults["contact_phone"]);
        Assert.Equal("Enquiry.Error.DayOutOfRange",
            new CouldNotBeDoneForm { What = "x", Phone = "13812345678", HappenedOn = today.AddDays(-91) }.Check(today)["happened_on"]);
        Assert.Empty(new CouldNotBeDoneForm { What = "x", Phone = "13812345678", HappenedOn = today.AddDays(-90) }.Check(today));
    }

    [Theory]
    [InlineData("abcd efgh", "ABCDEFGH")]
    [InlineData("ABCD-EFGH", "ABCDEFGH")]
    [InlineData("ＡＢＣＤ－２３４５", "ABCD2345")]
    public void PickupCode_SpacesDashesCaseAndFullWidthIgnored(string typed, string code)
    {
        Assert.Equal(code, PickupCode.Normalise(typed));
        Assert.Equal(code[..4] + " " + code[4..], PickupCode.Grouped(code));
    }

    // ---- 办事咨询 ----

    [Fact]
    public void Ask_FromAnItemWithPhoneAndConsent_ServerGetsItAllAndTheReceiptShowsTheCodeInGroups()
    {
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"ask?item={PensionItem}");
        var cut = _ctx.Render<AskQuestion>();

        Assert.Equal("失业保险稳岗返还", cut.Find("[data-testid=enquiry-item-name]").TextContent);
        cut.Find("[data-testid=input-text]").Input("  什么时间可以申请？  ");
        cut.Find("[data-testid=input-contact_phone]").Input("１３８ １２３４ ５６７８");
        cut.Find("[data-testid=faq-consent]").Click();
        cut.Find("[data-testid=question-submit]").Click();

        cut.WaitForElement("[data-testid=question-receipt]");
        var sent = Assert.Single(_server.Questions);
        Assert.Equal("什么时间可以申请？", sent.Text);
        Assert.Equal(PensionItem, sent.ServiceItemCode);
        Assert.Equal("13812345678", sent.ContactPhone);
        Assert.True(sent.FaqConsent);
        Assert.Equal("K7PX 3MQ9", cut.Find("[data-testid=question-pickup-code]").TextContent);
        Assert.Equal("2026年9月28日", cut.Find("[data-testid=question-due-day]").TextContent);
        Assert.Contains("查看答复", cut.Find("[data-testid=question-how-to-read]").TextContent);
    }

    [Fact]
    public void Ask_ItemLeftOut_SentWithoutIt()
    {
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"ask?item={PensionItem}");
        var cut = _ctx.Render<AskQuestion>();

        cut.Find("[data-testid=enquiry-item-remove]").Click();
        cut.Find("[data-testid=input-text]").Input("大厅几点开门？");
        cut.Find("[data-testid=question-submit]").Click();

        cut.WaitForElement("[data-testid=question-receipt]");
        Assert.Equal("", Assert.Single(_server.Questions).ServiceItemCode);
        Assert.Equal("", _server.Questions[0].ContactPhone);
    }

    [Fact]
    public void Ask_OnlySpacesOrTooLongOrBadPhone_FaultsShownAndNothingSent()
    {
        var cut = _ctx.Render<AskQuestion>();

        cut.Find("[data-testid=input-text]").Input("      ");
        cut.Find("[data-testid=input-contact_phone]").Input("12345");
        cut.Find("[data-testid=question-submit]").Click();

        Assert.Contains("请写下您要咨询的问题", cut.Find("[data-testid=error-text]").TextContent);
        Assert.Contains("11 位手机号码", cut.Find("[data-testid=error-contact_phone]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=question-faults]"));

        cut.Find("[data-testid=input-text]").Input(new string('长', 520));
        cut.Find("[data-testid=input-contact_phone]").Input("");
        Assert.Contains("520 / 500", cut.Find("[data-testid=text-count]").TextContent);
        cut.Find("[data-testid=question-submit]").Click();

        Assert.Contains("字数超过上限", cut.Find("[data-testid=error-text]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=question-receipt]"));
        Assert.Empty(_server.Calls);
    }

    [Fact]
    public void Ask_ServerAway_NoReceiptWordsKeptAndTheRetryResendsTheSameRequestId()
    {
        _server.FailNextCalls = 1;
        var cut = _ctx.Render<AskQuestion>();
        cut.Find("[data-testid=input-text]").Input("社保卡丢了怎么补办？");
        cut.Find("[data-testid=question-submit]").Click();

        cut.WaitForElement("[data-testid=question-away]");
        Assert.Empty(cut.FindAll("[data-testid=question-receipt]"));
        Assert.Empty(cut.FindAll("[data-testid=question-pickup-code]"));
        Assert.Equal("社保卡丢了怎么补办？", cut.Find("[data-testid=input-text]").GetAttribute("value"));
        Assert.Equal("重新提交", cut.Find("[data-testid=question-submit]").TextContent.Trim());

        _clock.Advance(TimeSpan.FromSeconds(30));
        cut.Find("[data-testid=question-submit]").Click();

        cut.WaitForElement("[data-testid=question-receipt]");
        Assert.Equal(2, _server.Calls.Count);
        Assert.Equal(_server.Calls[0], _server.Calls[1]);
        Assert.Single(_server.Questions);
    }

    [Fact]
    public void Ask_ServerRefusesTheText_SaysSoOnTheFieldAndShowsNoReceipt()
    {
        _server.RefuseField = "text";
        var cut = _ctx.Render<AskQuestion>();
        cut.Find("[data-testid=input-text]").Input("问题");
        cut.Find("[data-testid=question-submit]").Click();

        cut.WaitForElement("[data-testid=question-refused]");
        Assert.Contains("不符合要求", cut.Find("[data-testid=question-refused]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=error-text]"));
        Assert.Empty(cut.FindAll("[data-testid=question-receipt]"));
    }

    // ---- 查看答复 ----

    [Fact]
    public void Answer_CodeTypedOnTheKeypad_ShowsTheQuestionAndItsAnswer()
    {
        _server.Answers["K7PX3MQ9"] = new Proto.FindAnswerResponse
        {
            Question = "什么时间可以申请？", Answer = "每年4月至11月，在B03窗口申请。", AnsweredDay = "2026-09-24",
        };
        var cut = _ctx.Render<ReadAnswer>();
        Assert.True(cut.Find("[data-testid=answer-submit]").HasAttribute("disabled"));

        foreach (var key in "K7PX3MQ9")
        {
            cut.Find($"[data-testid=answer-key-{key}]").Click();
        }
        cut.Find("[data-testid=answer-submit]").Click();

        cut.WaitForElement("[data-testid=answer-found]");
        Assert.Equal("什么时间可以申请？", cut.Find("[data-testid=answer-question]").TextContent);
        Assert.Equal("每年4月至11月，在B03窗口申请。", cut.Find("[data-testid=answer-text]").TextContent);
        Assert.Equal("K7PX3MQ9", _server.Lookups.Single());
    }

    [Fact]
    public void Answer_UnknownOrUnansweredCode_OneClearNotFoundMessage()
    {
        var cut = _ctx.Render<ReadAnswer>();
        foreach (var key in "ABCDEFGH")
        {
            cut.Find($"[data-testid=answer-key-{key}]").Click();
        }
        cut.Find("[data-testid=answer-submit]").Click();

        var message = cut.WaitForElement("[data-testid=answer-not-found]").TextContent;
        Assert.Contains("未找到答复", message);
        Assert.Contains("答复期限", message);
        Assert.Empty(cut.FindAll("[data-testid=answer-found]"));
        // The result takes the keypad's place; "修改取件码" brings it back with the code as typed.
        Assert.Empty(cut.FindAll("[data-testid=answer-key-A]"));
        cut.Find("[data-testid=answer-retype]").Click();
        Assert.Equal("ABCDEFGH", string.Concat(cut.FindAll(".code-box").Select(b => b.TextContent)));

        _server.FailNextCalls = 1;
        cut.Find("[data-testid=answer-submit]").Click();
        cut.WaitForElement("[data-testid=answer-away]");
    }

    // ---- 办不成事反映 ----

    [Fact]
    public void Report_Filled_ServerGetsTheDayWindowItemAndPhoneAndTheReceiptShowsItsNumber()
    {
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"could-not-be-done?item={PensionItem}");
        var cut = _ctx.Render<CouldNotBeDone>();

        Assert.Equal("2026年9月23日", cut.Find("[data-testid=happened-on]").TextContent.Trim());
        cut.Find("[data-testid=input-what]").Input("申请稳岗返还被告知材料不全，但没说缺什么");
        cut.Find("[data-testid=input-window]").Input("B03");
        cut.Find("[data-testid=happened-yesterday]").Click();
        cut.Find("[data-testid=happened-earlier]").Click();
        cut.Find("[data-testid=input-contact_phone]").Input("0531-87598110");
        cut.Find("[data-testid=report-submit]").Click();

        cut.WaitForElement("[data-testid=report-receipt]");
        var sent = Assert.Single(_server.Reports);
        Assert.Equal("2026-09-21", sent.HappenedOn);
        Assert.Equal("B03", sent.Window);
        Assert.Equal(PensionItem, sent.ServiceItemCode);
        Assert.Equal("0531-87598110", sent.ContactPhone);
        Assert.Equal("BBS-20260923-0001", cut.Find("[data-testid=report-number]").TextContent);
        Assert.Equal("2026年9月30日", cut.Find("[data-testid=report-due-day]").TextContent);
    }

    [Fact]
    public void Report_NoPhone_FaultAndNothingSent_ThenServerAway_NoReceipt()
    {
        var cut = _ctx.Render<CouldNotBeDone>();
        Assert.True(cut.Find("[data-testid=happened-later]").HasAttribute("disabled"));
        cut.Find("[data-testid=input-what]").Input("没办成");
        cut.Find("[data-testid=report-submit]").Click();

        Assert.Contains("请留下联系电话", cut.Find("[data-testid=error-contact_phone]").TextContent);
        Assert.Empty(_server.Calls);

        _server.FailNextCalls = 1;
        cut.Find("[data-testid=input-contact_phone]").Input("13812345678");
        cut.Find("[data-testid=report-submit]").Click();
        cut.WaitForElement("[data-testid=report-away]");
        Assert.Empty(cut.FindAll("[data-testid=report-receipt]"));

        cut.Find("[data-testid=report-submit]").Click();
        cut.WaitForElement("[data-testid=report-receipt]");
        Assert.Equal(_server.Calls[0], _server.Calls[1]);
    }

    [Fact]
    public void ItemPage_OffersToAskAndToReportAboutThatItem()
    {
        var cut = _ctx.Render<ItemDetail>(p => p.Add(d => d.Code, PensionItem));

        Assert.Equal($"ask?item={PensionItem}", cut.Find("[data-testid=ask-item]").GetAttribute("href"));
        Assert.Equal($"could-not-be-done?item={PensionItem}", cut.Find("[data-testid=report-item]").GetAttribute("href"));
    }

    [Fact]
    public void EveryStringTheScreensUse_IsInBothLanguages()
    {
        foreach (var language in new[] { KioskLanguage.Chinese, KioskLanguage.English })
        {
            _ctx.Services.GetRequiredService<KioskSessionPreferences>().SetLanguage(language);
            var markup = _ctx.Render<AskQuestion>().Markup + _ctx.Render<ReadAnswer>().Markup + _ctx.Render<CouldNotBeDone>().Markup;
            Assert.DoesNotContain("Question.", markup, StringComparison.Ordinal);
            Assert.DoesNotContain("Answer.", markup, StringComparison.Ordinal);
            Assert.DoesNotContain("Report.", markup, StringComparison.Ordinal);
            Assert.DoesNotContain("Enquiry.", markup, StringComparison.Ordinal);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _outbox.Dispose();
        _dir.Dispose();
    }
}

/// <summary>QuestionService as the kiosk sees it: stores each request id once, can be away, refuse a field, or know answers.</summary>
public sealed class FakeQuestionServer : Proto.QuestionService.QuestionServiceClient
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _ids = [];

    public int FailNextCalls { get; set; }

    public string? RefuseField { get; set; }

    /// <summary>The request id of every hand-in call, in order (resends included).</summary>
    public List<string> Calls { get; } = [];

    public List<Proto.SubmitQuestionRequest> Questions { get; } = [];

    public List<Proto.SubmitCouldNotBeDoneReportRequest> Reports { get; } = [];

    public Dictionary<string, Proto.FindAnswerResponse> Answers { get; } = [];

    public List<string> Lookups { get; } = [];

    public override AsyncUnaryCall<Proto.SubmitQuestionResponse> SubmitQuestionAsync(Proto.SubmitQuestionRequest request, CallOptions options)
    {
        lock (_lock)
        {
            Calls.Add(request.RequestId);
            if (Refusal() is { } error)
            {
                return Call<Proto.SubmitQuestionResponse>(error);
            }
            if (_ids.Add(request.RequestId))
            {
                Questions.Add(request);
            }
        }
        return Call(new Proto.SubmitQuestionResponse { PickupCode = "K7PX3MQ9", ReceivedDay = "2026-09-23", AnswerDueDay = "2026-09-28", Created = true });
    }

    public override AsyncUnaryCall<Proto.FindAnswerResponse> FindAnswerAsync(Proto.FindAnswerRequest request, CallOptions options)
    {
        lock (_lock)
        {
            if (Refusal() is { } error)
            {
                return Call<Proto.FindAnswerResponse>(error);
            }
            Lookups.Add(request.PickupCode);
            return Answers.TryGetValue(request.PickupCode, out var answer)
                ? Call(answer)
                : Call<Proto.FindAnswerResponse>(new RpcException(new Status(StatusCode.NotFound, "没有找到这个取件码的答复")));
        }
    }

    public override AsyncUnaryCall<Proto.SubmitCouldNotBeDoneReportResponse> SubmitCouldNotBeDoneReportAsync(
        Proto.SubmitCouldNotBeDoneReportRequest request, CallOptions options)
    {
        lock (_lock)
        {
            Calls.Add(request.RequestId);
            if (Refusal() is { } error)
            {
                return Call<Proto.SubmitCouldNotBeDoneReportResponse>(error);
            }
            if (_ids.Add(request.RequestId))
            {
                Reports.Add(request);
            }
        }
        return Call(new Proto.SubmitCouldNotBeDoneReportResponse
        {
            ReportNumber = "BBS-20260923-0001", ReceivedDay = "2026-09-23", DueDay = "2026-09-30", Created = true,
        });
    }

    private RpcException? Refusal()
    {
        if (FailNextCalls > 0)
        {
            FailNextCalls--;
            return new RpcException(new Status(StatusCode.Unavailable, "server is down"));
        }
        return RefuseField is { } field
            ? new Google.Rpc.Status
            {
                Code = (int)StatusCode.InvalidArgument,
                Message = "不符合要求",
                Details =
                {
                    Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Rpc.BadRequest
                    {
                        FieldViolations = { new Google.Rpc.BadRequest.Types.FieldViolation { Field = field, Description = "不符合要求" } },
                    }),
                },
            }.ToRpcException()
            : null;
    }

    private static AsyncUnaryCall<T> Call<T>(T response) =>
        new(Task.FromResult(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });

    private static AsyncUnaryCall<T> Call<T>(RpcException error) =>
        new(Task.FromException<T>(error), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
}

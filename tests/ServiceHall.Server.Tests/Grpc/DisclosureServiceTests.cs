using Grpc.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>A server whose disclosures show a rate from a single sample, so small fixtures give numbers.</summary>
public sealed class SmallSampleServer : ServerFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Disclosure:MinimumSample", "1");
    }
}

public sealed class DisclosureServiceTests(SmallSampleServer factory) : IClassFixture<SmallSampleServer>
{
    private const string Password = "a long enough password";
    private static readonly string Today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");

    private readonly DisclosureService.DisclosureServiceClient _disclosure = new(factory.CreateChannel());
    private readonly CaseService.CaseServiceClient _cases = new(factory.CreateChannel());

    private async Task<Metadata> SignInAsync(string user, DomainRole role, string? department = null)
    {
        await factory.Services.GetRequiredService<StaffSignIn>().CreateAccountAsync(user, user, role, department, Password, CancellationToken.None);
        var response = await new AccountService.AccountServiceClient(factory.CreateChannel())
            .SignInAsync(new SignInRequest { UserName = user, Password = Password });
        return new Metadata { { "authorization", "Bearer " + response.AccessToken } };
    }

    private async Task ActAsync(Metadata who, string caseId, string step, params (string Name, string Value)[] inputs) =>
        await _cases.ActOnCaseAsync(StepRequests.Step(caseId, step, inputs), who);

    [Fact]
    public async Task GetIndicators_HandCountedDay_FiguresAndFormulasMatch()
    {
        // 8 ratings of window A01 today: 5 非常满意, 1 满意, 2 非常不满意 (one real-name, one anonymous).
        var request = new SubmitRatingsRequest();
        foreach (var level in new[] { 1, 1, 1, 1, 1, 2 })
        {
            var good = ServerFactory.GoodRating();
            good.Level = (RatingLevel)level;
            request.Ratings.Add(good);
        }

        var realName = ServerFactory.GoodRating();
        realName.Level = RatingLevel.VeryDissatisfied;
        realName.Text = "工作人员说我材料不全，其实网上清单没写";
        realName.CallbackPhone = "13611112222";
        var anonymous = ServerFactory.GoodRating();
        anonymous.Level = RatingLevel.VeryDissatisfied;
        anonymous.Text = "排队太久";
        request.Ratings.Add(realName);
        request.Ratings.Add(anonymous);
        await factory.CreateRatingClient().SubmitRatingsAsync(request);

        // The real-name 差评 is appealed and upheld (误评); the anonymous one is fixed at once and closes at feedback.
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var handler = await SignInAsync("handler", DomainRole.DepartmentHandler, "XZSP");
        var supervisor = await SignInAsync("supervisor", DomainRole.Supervisor);
        var cases = (await _cases.ListCasesAsync(new ListCasesRequest(), manager)).Cases;
        var appealed = cases.Single(c => c.RealName).CaseId;
        var fixedOne = cases.Single(c => !c.RealName).CaseId;
        foreach (var id in new[] { appealed, fixedOne })
        {
            await ActAsync(manager, id, "assign", ("department_code", "XZSP"));
        }

        await ActAsync(handler, appealed, "record_callback", ("outcome", "reached"), ("verification", "办事指南已列明该材料"));
        await ActAsync(handler, appealed, "appeal", ("grounds", "指南已公示"), ("evidence", "办事指南截图"));
        await ActAsync(supervisor, appealed, "uphold_appeal", ("finding", "misrated"), ("ruling", "属误评"));
        await ActAsync(handler, fixedOne, "skip_callback_anonymous");
        await ActAsync(handler, fixedOne, "fix_at_once", ("what_was_done", "增开窗口"));
        await ActAsync(handler, fixedOne, "give_feedback", ("content", "已增开一个窗口"));

        var figures = (await _disclosure.GetIndicatorsAsync(new GetIndicatorsRequest
        {
            ScopeKind = ScopeKind.District, FromDay = Today, ToDay = Today,
        })).Indicators.ToDictionary(i => i.Code);

        Assert.Equal(7, figures["rating_count"].Numerator);
        Assert.Equal((6, 7, "85.7%"), (figures["good_rate"].Numerator, figures["good_rate"].Denominator, figures["good_rate"].Display));
        Assert.Equal("14.3%", figures["bad_rate"].Display);
        Assert.Equal(1, figures["appeal_upheld_count"].Numerator);
        Assert.Equal((1, 1), (figures["rectified_rate"].Numerator, figures["rectified_rate"].Denominator));
        Assert.Equal(100.0, figures["rectified_in_time_rate"].Percent);
        Assert.True(figures["callback_rate"].InsufficientSample);
        Assert.Equal("样本不足", figures["not_rated_rate"].Display);
        Assert.Equal("好评率 = (非常满意 + 满意 + 基本满意) ÷ 评价数", figures["good_rate"].Formula);

        var otherDepartment = (await _disclosure.GetIndicatorsAsync(new GetIndicatorsRequest
        {
            ScopeKind = ScopeKind.Department, ScopeCode = "RSJ", FromDay = Today, ToDay = Today,
        })).Indicators.Single(i => i.Code == "rating_count");
        Assert.Equal(0, otherDepartment.Numerator);
        var published = figures.Values.Select(f => f.ToString());
        Assert.DoesNotContain(published, text => text.Contains("13611112222", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ScopeKind.District, "", "2026-11-30", "2026-11-01", "to_day")]
    [InlineData(ScopeKind.District, "", "2026-13-01", "2026-11-01", "from_day")]
    [InlineData(ScopeKind.District, "", "2025-01-01", "2026-11-01", "to_day")]
    [InlineData(ScopeKind.Department, "NOPE", "2026-11-01", "2026-11-30", "scope_code")]
    [InlineData(ScopeKind.Unspecified, "", "2026-11-01", "2026-11-30", "scope_kind")]
    public async Task GetIndicators_BadRequest_InvalidArgumentNamingTheField(
        ScopeKind kind, string code, string from, string to, string field)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => _disclosure.GetIndicatorsAsync(new GetIndicatorsRequest
        {
            ScopeKind = kind, ScopeCode = code, FromDay = from, ToDay = to,
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(field, Assert.Single(e.FieldsAtFault()));
    }
}

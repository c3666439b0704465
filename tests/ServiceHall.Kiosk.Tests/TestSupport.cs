using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Kiosk.Accessibility;
using ServiceHall.Kiosk.Rating;
using ServiceHall.Kiosk.Resources;
using ServiceHall.Kiosk.Services;
using ServiceHall.Protos.V1;

namespace ServiceHall.Kiosk.Tests;

/// <summary>The kiosk's text as a screen in a given language shows it, from the real resource files.</summary>
public static class TestText
{
    public static KioskText Create(KioskLanguage language)
    {
        var preferences = new KioskSessionPreferences(TestCatalog.Wrap(TestCatalog.Options()));
        preferences.SetLanguage(language);
        return new KioskText(Localizer(), preferences);
    }

    public static IStringLocalizer<SharedStrings> Localizer() =>
        new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider()
            .GetRequiredService<IStringLocalizer<SharedStrings>>();
}

/// <summary>A directory deleted after the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("kiosk-tests-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public static class TestCatalog
{
    public const string TagListVersion = "T-2026.1";

    public static KioskOptions Options(string dataDirectory = ".") => new()
    {
        HallCode = "370104-ZWZX",
        DeviceId = "kiosk-test",
        DataDirectory = dataDirectory,
        IdleTimeoutSeconds = 90,
        ThankYouSeconds = 6,
    };

    public static HallCatalog Create() => ServiceHallClient.ToCatalog(Response());

    /// <summary>A small hall as the server would send it: two departments, three windows, two items, six tags.</summary>
    public static GetCatalogResponse Response()
    {
        var response = new GetCatalogResponse
        {
            Hall = new Hall
            {
                Code = "370104-ZWZX", Name = "槐荫区政务服务中心", RegionCode = "370104", Address = "经十路西段28号",
                OpeningHours = "周一至周五 9:00-17:00", SupervisionPhone = "0531-87598110",
            },
            ReasonTags = new ReasonTagList { Version = TagListVersion },
            RatingRules = new ServiceHall.Protos.V1.RatingInputRules { CallbackWorkingDays = 1 },
        };
        response.Departments.Add(new Department { Code = "RSJ", Name = "槐荫区人力资源和社会保障局", ShortName = "区人社局" });
        // English names for some of the catalog only, as a district may give them: the rest falls back to Chinese.
        response.Departments.Add(new Department
        {
            Code = "XZSP", Name = "槐荫区行政审批服务局", ShortName = "区行政审批服务局",
            NameEn = "Huaiyin District Administrative Approval Service Bureau", ShortNameEn = "Administrative Approval",
        });
        var single = new ServiceWindow { Code = "B03", Name = "社保综合窗口", DepartmentCode = "RSJ" };
        single.Staff.Add(new StaffMember { StaffId = "HY0301", Name = "赵敏", Title = "窗口工作人员" });
        var pair = new ServiceWindow { Code = "A01", Name = "企业开办综合窗口", DepartmentCode = "XZSP", NameEn = "Business Start-up" };
        pair.Staff.Add(new StaffMember { StaffId = "HY0101", Name = "王晓燕", Title = "窗口负责人" });
        pair.Staff.Add(new StaffMember { StaffId = "HY0102", Name = "张振华", Title = "窗口工作人员" });
        response.Windows.Add(single);
        response.Windows.Add(pair);
        response.Windows.Add(new ServiceWindow { Code = "C01", Name = "综合咨询窗口", DepartmentCode = "XZSP" });

        var pension = new ServiceItem
        {
            Code = "11370104MB2851302F000117010000", BasicCode = "000117010000", Name = "失业保险稳岗返还",
            ItemType = "行政给付", DepartmentCode = "RSJ", Theme = "惠企政策", LegalTimeLimitDays = 0,
            PromisedTimeLimitDays = 15, Fees = "不收费", Location = "一楼A04窗口", OfficeHours = "周一至周五",
            ConsultationPhone = "0531-87594528", SupervisionPhone = "0531-87594500",
        };
        pension.Conditions.Add("依法参加失业保险");
        pension.Materials.Add(new RequiredMaterial { Name = "稳岗返还申请表", OriginalCopies = 1, Required = true, Note = "加盖公章" });
        pension.ProcessSteps.Add("申请");
        pension.ProcessSteps.Add("审核");
        pension.Faq.Add(new FaqEntry { Question = "什么时间申请？", Answer = "每年4月至11月。" });
        pension.WindowCodes.Add("B03");
        response.ServiceItems.Add(pension);
        response.ServiceItems.Add(new ServiceItem
        {
            Code = "11370104MB2851301K000105001000", BasicCode = "000105001000", Name = "有限责任公司设立登记",
            NameEn = "Registration of a limited liability company",
            ItemType = "行政许可", DepartmentCode = "XZSP", Theme = "企业开办", LegalTimeLimitDays = 3, PromisedTimeLimitDays = 0,
        });

        AddTag(response, "EFF_FAST", "办事效率高", "服务效率", RatingLevel.VerySatisfied, RatingLevel.Satisfied);
        AddTag(response, "ATT_PATIENT", "态度热情耐心", "服务态度", RatingLevel.VerySatisfied, RatingLevel.Satisfied, RatingLevel.BasicallySatisfied);
        AddTag(response, "EFF_LONG_WAIT", "等候时间长", "服务效率", RatingLevel.Dissatisfied, RatingLevel.VeryDissatisfied);
        AddTag(response, "ATT_POOR", "工作人员态度不好", "服务态度", RatingLevel.Dissatisfied, RatingLevel.VeryDissatisfied);
        AddTag(response, "GUIDE_UNCLEAR", "办事指南不清楚", "办事指南/告知", RatingLevel.Dissatisfied, RatingLevel.VeryDissatisfied);
        AddTag(response, "SKL_BUCK_PASSING", "推诿扯皮", "服务水平", RatingLevel.VeryDissatisfied);
        return response;
    }

    private static void AddTag(GetCatalogResponse response, string code, string label, string dimension, params RatingLevel[] levels)
    {
        var tag = new ReasonTag { Code = code, Label = label, Dimension = dimension, LabelEn = code == "EFF_LONG_WAIT" ? "Long wait" : "",
            DimensionEn = dimension == "服务效率" ? "Efficiency" : "" };
        tag.Levels.AddRange(levels);
        response.ReasonTags.Tags.Add(tag);
    }

    public static KioskRating Rating(FakeTimeProvider clock, string? phone = null, SatisfactionLevel level = SatisfactionLevel.Satisfied) => new()
    {
        Id = Guid.CreateVersion7(clock.GetUtcNow()),
        HallCode = "370104-ZWZX",
        WindowCode = "B03",
        Level = level,
        ReasonTagCodes = level.IsBadReview() ? ["EFF_LONG_WAIT"] : [],
        ReasonTagListVersion = TagListVersion,
        RatedAt = clock.GetUtcNow(),
        CallbackPhone = phone,
        DeviceId = "kiosk-test",
    };

    public static IOptions<KioskOptions> Wrap(KioskOptions options) => Microsoft.Extensions.Options.Options.Create(options);
}

/// <summary>
/// Stands in for the server's RatingService: stores each id once (as the contract says), can refuse ratings, and can
/// fail whole calls as a server that is down would.
/// </summary>
public sealed class FakeRatingServer : RatingService.RatingServiceClient
{
    private readonly Lock _lock = new();
    private readonly List<string> _stored = [];
    private readonly List<IReadOnlyList<string>> _calls = [];

    /// <summary>When set, answers leave out the last rating (a broken or mismatched server).</summary>
    public bool AnswerIncompletely { get; set; }

    /// <summary>How many of the next calls fail with Unavailable.</summary>
    public int FailNextCalls { get; set; }

    /// <summary>Ratings for which this returns a field name are rejected with that field.</summary>
    public Func<RatingSubmission, string?> Reject { get; set; } = _ => null;

    public IReadOnlyList<string> StoredIds
    {
        get
        {
            lock (_lock)
            {
                return [.. _stored];
            }
        }
    }

    public IReadOnlyList<IReadOnlyList<string>> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public List<RatingSubmission> Received { get; } = [];

    /// <summary>Pretends this id was stored by an earlier call whose answer was lost.</summary>
    public void Preload(Guid id)
    {
        lock (_lock)
        {
            _stored.Add(id.ToString());
        }
    }

    public override AsyncUnaryCall<SubmitRatingsResponse> SubmitRatingsAsync(SubmitRatingsRequest request, CallOptions options)
    {
        lock (_lock)
        {
            _calls.Add([.. request.Ratings.Select(r => r.RatingId)]);
            if (FailNextCalls > 0)
            {
                FailNextCalls--;
                return Call(Task.FromException<SubmitRatingsResponse>(
                    new RpcException(new Status(StatusCode.Unavailable, "server is down"))));
            }
            var response = new SubmitRatingsResponse();
            foreach (var rating in request.Ratings)
            {
                Received.Add(rating);
                var result = new RatingResult { RatingId = rating.RatingId };
                if (_stored.Contains(rating.RatingId))
                {
                    result.Outcome = RatingOutcome.AlreadyStored;
                }
                else if (Reject(rating) is { } field)
                {
                    result.Outcome = RatingOutcome.Rejected;
                    result.Field = field;
                    result.Reason = "不符合要求";
                }
                else
                {
                    _stored.Add(rating.RatingId);
                    result.Outcome = RatingOutcome.Stored;
                }
                response.Results.Add(result);
            }
            if (AnswerIncompletely && response.Results.Count > 0)
            {
                response.Results.RemoveAt(response.Results.Count - 1);
            }
            return Call(Task.FromResult(response));
        }
    }

    private static AsyncUnaryCall<SubmitRatingsResponse> Call(Task<SubmitRatingsResponse> response) =>
        new(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
}

/// <summary>Stands in for the server's CatalogService; answers with <see cref="Response"/> or fails when it is null.</summary>
public sealed class FakeCatalogServer : CatalogService.CatalogServiceClient
{
    public GetCatalogResponse? Response { get; set; } = TestCatalog.Response();

    public override AsyncUnaryCall<GetCatalogResponse> GetCatalogAsync(GetCatalogRequest request, CallOptions options) =>
        new(Response is { } response
                ? Task.FromResult(response)
                : Task.FromException<GetCatalogResponse>(new RpcException(new Status(StatusCode.Unavailable, "server is down"))),
            Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
}

public static class Wait
{
    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(20, cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out after {timeout} waiting for {what}");
            }
        }
    }
}

using System.Globalization;
using System.Text;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>A request in the 政务公开 queue (never who applied: only the kind of applicant).</summary>
public sealed record DisclosureRequestRow(
    string Id, string Number, string StateLabel, string ApplicantKind, string Information, string ReceivedDay, string ReplyDueDay,
    string Clock, DeadlineStatus Deadline, string Department, string RepeatOf, int RecentRequests);

/// <summary>One record of a request's audit trail.</summary>
public sealed record DisclosureTrailEntry(DateTimeOffset At, string ActorId, string Action, string Note, string Details);

/// <summary>A request as the console shows it: masked applicant for the office only, the clock, the trail and the steps offered now.</summary>
public sealed record DisclosureRequestFile(
    DisclosureRequestRow Row, string InformationName, string InformationDocumentNumber, string InformationDescription, string Form, string Delivery,
    string? ApplicantName, string? ApplicantDocument, string? ApplicantPhone, string SupplementDueDay, int ExtensionWorkingDays,
    int PausedWorkingDays, string OutcomeLabel, string DraftReply, bool RepliedLate,
    IReadOnlyList<string> Consultations, IReadOnlyList<DisclosureTrailEntry> Trail, IReadOnlyList<OfferedStep> Steps);

/// <summary>The annual report's tables for one year.</summary>
public sealed record DisclosureAnnualReport(
    int Year, IReadOnlyList<string> Columns, IReadOnlyList<(string Label, string Code, IReadOnlyList<int> Counts)> Rows,
    IReadOnlyList<(string Label, IReadOnlyList<int> Counts)> Proceedings)
{
    public static readonly IReadOnlyList<string> ProceedingColumns = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

    /// <summary>The server's answer as the console and the public page show it (the same contract serves both).</summary>
    public static DisclosureAnnualReport From(GetDisclosureAnnualReportResponse r)
    {
        ArgumentNullException.ThrowIfNull(r);
        static IReadOnlyList<int> Of(ProceedingFigures? p) => p is null ? [0, 0, 0, 0, 0] : [p.Upheld, p.Corrected, p.Other, p.Pending, p.Total];
        return new DisclosureAnnualReport(
            r.Year, [.. r.Columns], [.. r.Rows.Select(x => (x.Label, x.Code, (IReadOnlyList<int>)[.. x.Counts]))],
            [("行政复议", Of(r.Review?.Review)), ("行政诉讼（未经复议直接起诉）", Of(r.Review?.LitigationDirect)), ("行政诉讼（复议后起诉）", Of(r.Review?.LitigationAfterReview))]);
    }

    /// <summary>The table "收到和处理政府信息公开申请情况" as CSV (UTF-8 with BOM, so a spreadsheet opens the Chinese as such).</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder("\uFEFF");
        csv.Append("收到和处理政府信息公开申请情况,").AppendJoin(',', Columns).Append("\r\n");
        foreach (var (label, _, counts) in Rows)
        {
            csv.Append(Quote(label)).Append(',').AppendJoin(',', counts.Select(c => c.ToString(CultureInfo.InvariantCulture))).Append("\r\n");
        }

        csv.Append("\r\n政府信息公开行政复议、行政诉讼情况,").AppendJoin(',', ProceedingColumns).Append("\r\n");
        foreach (var (label, counts) in Proceedings)
        {
            csv.Append(Quote(label)).Append(',').AppendJoin(',', counts.Select(c => c.ToString(CultureInfo.InvariantCulture))).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Quote(string text) => text.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}

/// <summary>The console's calls to DisclosureRequestService (the 政务公开 office and department handlers).</summary>
public sealed class DisclosureRequestClient(DisclosureRequestService.DisclosureRequestServiceClient client, ConsoleSession session)
{
    public async Task<IReadOnlyList<DisclosureRequestRow>> ListAsync(bool openOnly, CancellationToken cancellationToken = default)
    {
        var request = new ListDisclosureRequestsRequest();
        if (openOnly)
        {
            request.States.AddRange(Enum.GetValues<DisclosureRequestState>().Where(s => s is not (DisclosureRequestState.Unspecified
                or DisclosureRequestState.ReplySent or DisclosureRequestState.Closed)));
        }

        var response = await session.CallAsync(headers => client.ListDisclosureRequestsAsync(
            request, headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));
        return response.Requests.Select(ToRow).ToList();
    }

    public async Task<DisclosureRequestFile> GetAsync(string id, CancellationToken cancellationToken = default) =>
        ToFile(await session.CallAsync(headers => client.GetDisclosureRequestAsync(
            new GetDisclosureRequestRequest { RequestId = id }, headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken)));

    public async Task<DisclosureRequestFile> ActAsync(string id, StepSubmission submission, CancellationToken cancellationToken = default)
    {
        var request = new ActOnDisclosureRequestRequest { RequestId = id, Step = submission.Step.Name };
        request.Inputs.AddRange(submission.ToInputValues());
        var response = await session.CallAsync(headers => client.ActOnDisclosureRequestAsync(
            request, headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));
        return ToFile(response.Request);
    }

    public async Task<DisclosureAnnualReport> AnnualReportAsync(int year, CancellationToken cancellationToken = default)
    {
        var r = await session.CallAsync(headers => client.GetDisclosureAnnualReportAsync(
            new GetDisclosureAnnualReportRequest { Year = year }, headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));
        return DisclosureAnnualReport.From(r);
    }

    /// <summary>
    /// Saves the office's 行政复议 / 行政诉讼 figures of <paramref name="year"/>: three rows (复议, 直接起诉, 复议后起诉) of
    /// 结果维持, 结果纠正, 其他结果, 尚未审结 (the server sums the total).
    /// </summary>
    public async Task SaveProceedingsAsync(int year, IReadOnlyList<IReadOnlyList<int>> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        static ProceedingFigures Of(IReadOnlyList<int> r) => new() { Upheld = r[0], Corrected = r[1], Other = r[2], Pending = r[3] };
        var figures = new ReviewAndLitigationFigures
        {
            Year = year, Review = Of(rows[0]), LitigationDirect = Of(rows[1]), LitigationAfterReview = Of(rows[2]),
        };
        await session.CallAsync(headers => client.SaveReviewAndLitigationFiguresAsync(
            new SaveReviewAndLitigationFiguresRequest { Figures = figures }, headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));
    }

    private static DisclosureRequestRow ToRow(DisclosureRequestSummary s) => new(
        s.RequestId, s.RequestNumber, s.StateLabel, KindLabel(s.ApplicantKind), s.Information, s.ReceivedDay, s.ReplyDueDay,
        s.Clock switch
        {
            DisclosureClockState.Running => "计时中",
            DisclosureClockState.StoppedForSupplement => "补正中，停止计时",
            DisclosureClockState.PausedForConsultation => "征求意见，暂停计时",
            DisclosureClockState.Finished => "已答复",
            _ => "",
        },
        s.DeadlineStatus, s.AssignedDepartmentCode, s.RepeatOf, s.RecentRequests);

    private static DisclosureRequestFile ToFile(GetDisclosureRequestResponse r) => new(
        ToRow(r.Summary), r.InformationName, r.InformationDocumentNumber, r.InformationDescription,
        r.Form switch { InformationForm.Paper => "纸质", InformationForm.Electronic => "电子", InformationForm.InspectOnSite => "现场查阅", _ => "" },
        r.Delivery switch { DeliveryMethod.Collect => "自行领取", DeliveryMethod.Post => "邮寄", DeliveryMethod.Email => "电子邮件", _ => "" },
        r.Applicant?.Name, r.Applicant?.IdDocumentNumber, r.Applicant?.Phone, r.SupplementDueDay, r.ExtensionWorkingDays, r.PausedWorkingDays,
        r.OutcomeLabel, r.DraftReply, r.RepliedLate,
        [.. r.Consultations.Select(c => $"{(c.Kind == "third_party" ? "第三方" : "其他机关")} {c.Party}：{c.SentDay} 发出"
            + (c.DueDay.Length > 0 ? $"，应于 {c.DueDay} 前答复" : "") + (c.AnsweredDay.Length > 0 ? $"，{c.AnsweredDay} 答复：{c.Opinion}" : "，尚未答复"))],
        [.. r.Timeline.Select(e => new DisclosureTrailEntry(e.At.ToDateTimeOffset(), e.ActorId, e.Action, e.Note, e.Details))],
        [.. r.AllowedSteps.Where(s => !s.HasOwnCall).Select(CaseMapping.ToOfferedStep)]);

    public static string KindLabel(ApplicantKind kind) => kind switch
    {
        ApplicantKind.NaturalPerson => "自然人",
        ApplicantKind.CommercialEnterprise => "商业企业",
        ApplicantKind.ResearchInstitution => "科研机构",
        ApplicantKind.PublicWelfareOrganisation => "社会公益组织",
        ApplicantKind.LegalServiceOrganisation => "法律服务机构",
        ApplicantKind.OtherOrganisation => "其他组织",
        _ => "",
    };
}

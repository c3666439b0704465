using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>What the edit page fills in: the contract's content as plain strings (days yyyy-MM-dd, lists one per line).</summary>
public sealed class DocumentForm
{
    public string Type { get; set; } = nameof(PublishedDocumentType.Policy);
    public string Title { get; set; } = "";
    public string IssuingBody { get; set; } = "";
    public string DocumentNumber { get; set; } = "";
    public string IssuedOn { get; set; } = "";
    public string EffectiveOn { get; set; } = "";
    public string ExpiresOn { get; set; } = "";
    public string ApplyFrom { get; set; } = "";
    public string ApplyUntil { get; set; } = "";
    public string Body { get; set; } = "";
    public string Conditions { get; set; } = "";
    public string Materials { get; set; } = "";
    public string Procedure { get; set; } = "";
    public string Contact { get; set; } = "";

    /// <summary>One "title | https://…" per line.</summary>
    public string Attachments { get; set; } = "";

    /// <summary>Service item codes, one per line.</summary>
    public string ServiceItemCodes { get; set; } = "";

    public string InterpretsPolicyId { get; set; } = "";
    public string OnlineUrl { get; set; } = "";
}

/// <summary>One audit record as the console lists it.</summary>
public sealed record DocumentTrailEntry(int Sequence, DateTimeOffset At, string By, string What, string Note);

/// <summary>A document as the console shows it.</summary>
public sealed record ConsoleDocument(
    string Id, string Type, string TypeLabel, string State, string StateLabel, string Title, string DocumentNumber, DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt, int EventCount, bool Demo, string SubmittedBy, DocumentForm Form, IReadOnlyList<DocumentTrailEntry> Trail);

/// <summary>The console's calls to PublishedDocumentService (the 政务公开 office; the auditor reads).</summary>
public sealed class PublishedDocumentClient(PublishedDocumentService.PublishedDocumentServiceClient client, ConsoleSession session)
{
    /// <summary>The types in the order the district notice names them, with their labels.</summary>
    public static readonly IReadOnlyList<(string Key, string Label)> Types =
    [
        (nameof(PublishedDocumentType.Guide), "政府信息公开指南"),
        (nameof(PublishedDocumentType.Catalogue), "主动公开目录"),
        (nameof(PublishedDocumentType.Policy), "政策文件"),
        (nameof(PublishedDocumentType.Interpretation), "政策解读"),
        (nameof(PublishedDocumentType.EnterprisePolicy), "惠企政策"),
        (nameof(PublishedDocumentType.PromiseCertificates), "证明事项告知承诺制清单"),
        (nameof(PublishedDocumentType.EnterpriseFees), "涉企收费目录清单"),
        (nameof(PublishedDocumentType.ServiceModeList), "马上办、网上办、一次办清单"),
    ];

    public static readonly IReadOnlyList<(string Key, string Label)> States =
    [
        (nameof(PublishedDocumentState.Draft), "草稿"),
        (nameof(PublishedDocumentState.InReview), "待审核"),
        (nameof(PublishedDocumentState.Approved), "已审核待发布"),
        (nameof(PublishedDocumentState.Published), "已发布"),
        (nameof(PublishedDocumentState.Withdrawn), "已撤回"),
    ];

    public async Task<IReadOnlyList<ConsoleDocument>> ListAsync(string? type, string? state, CancellationToken cancellationToken = default)
    {
        var request = new ListDocumentsRequest
        {
            Type = System.Enum.TryParse<PublishedDocumentType>(type, out var t) ? t : PublishedDocumentType.Unspecified,
            State = System.Enum.TryParse<PublishedDocumentState>(state, out var s) ? s : PublishedDocumentState.Unspecified,
        };
        var response = await session.CallAsync(headers => client.ListDocumentsAsync(request, headers, Deadline(), cancellationToken));
        return response.Documents.Select(ToConsole).ToList();
    }

    public async Task<ConsoleDocument> GetAsync(string id, CancellationToken cancellationToken = default) =>
        ToConsole((await session.CallAsync(headers => client.GetDocumentAsync(new GetDocumentRequest { DocumentId = id }, headers, Deadline(), cancellationToken))).Document);

    /// <summary>Creates (<paramref name="expectedEventCount"/> 0, a new id) or edits a draft.</summary>
    public async Task<ConsoleDocument> SaveAsync(string id, DocumentForm form, int expectedEventCount, CancellationToken cancellationToken = default) =>
        ToConsole((await session.CallAsync(headers => client.SaveDocumentDraftAsync(
            new SaveDocumentDraftRequest { DocumentId = id, Content = ToContent(form), ExpectedEventCount = expectedEventCount },
            headers, Deadline(), cancellationToken))).Document);

    public async Task<ConsoleDocument> SubmitAsync(string id, CancellationToken cancellationToken = default) =>
        ToConsole((await session.CallAsync(headers => client.SubmitDocumentForReviewAsync(new SubmitDocumentForReviewRequest { DocumentId = id }, headers, Deadline(), cancellationToken))).Document);

    public async Task<ConsoleDocument> ReturnAsync(string id, string reason, CancellationToken cancellationToken = default) =>
        ToConsole((await session.CallAsync(headers => client.ReturnDocumentForChangesAsync(new ReturnDocumentForChangesRequest { DocumentId = id, Reason = reason }, headers, Deadline(), cancellationToken))).Document);

    public async Task<ConsoleDocument> ApproveAsync(string id, string note, CancellationToken cancellationToken = default) =>
        ToConsole((await session.CallAsync(headers => client.ApproveDocumentAsync(new ApproveDocumentRequest { DocumentId = id, Note = note }, headers, Deadline(), cancellationToken))).Document);

    public async Task<ConsoleDocument> PublishAsync(string id, CancellationToken cancellationToken = default) =>
        ToConsole((await session.CallAsync(headers => client.PublishDocumentAsync(new PublishDocumentRequest { DocumentId = id }, headers, Deadline(), cancellationToken))).Document);

    public async Task<ConsoleDocument> WithdrawAsync(string id, string reason, CancellationToken cancellationToken = default) =>
        ToConsole((await session.CallAsync(headers => client.WithdrawDocumentAsync(new WithdrawDocumentRequest { DocumentId = id, Reason = reason }, headers, Deadline(), cancellationToken))).Document);

    private static DateTime Deadline() => DateTime.UtcNow + CaseClient.CallTimeout;

    private static DocumentContent ToContent(DocumentForm f)
    {
        var content = new DocumentContent
        {
            Type = System.Enum.TryParse<PublishedDocumentType>(f.Type, out var type) ? type : PublishedDocumentType.Unspecified,
            Title = f.Title,
            IssuingBody = f.IssuingBody,
            DocumentNumber = f.DocumentNumber,
            IssuedOn = f.IssuedOn,
            EffectiveOn = f.EffectiveOn,
            ExpiresOn = f.ExpiresOn,
            ApplyFrom = f.ApplyFrom,
            ApplyUntil = f.ApplyUntil,
            Body = f.Body,
            InterpretsPolicyId = f.InterpretsPolicyId.Trim(),
            OnlineUrl = f.OnlineUrl,
        };
        if (type == PublishedDocumentType.EnterprisePolicy || new[] { f.Conditions, f.Materials, f.Procedure, f.Contact }.Any(s => s.Trim().Length > 0))
        {
            content.Terms = new EnterpriseTerms { Conditions = f.Conditions, Materials = f.Materials, Procedure = f.Procedure, Contact = f.Contact };
        }

        content.ServiceItemCodes.AddRange(Lines(f.ServiceItemCodes));
        content.Attachments.AddRange(Lines(f.Attachments).Select(line =>
        {
            var bar = line.LastIndexOf('|');
            return bar < 0 ? new DocumentLink { Title = line, Url = "" } : new DocumentLink { Title = line[..bar].Trim(), Url = line[(bar + 1)..].Trim() };
        }));
        return content;
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static ConsoleDocument ToConsole(StaffDocument d)
    {
        var c = d.Content ?? new DocumentContent();
        var form = new DocumentForm
        {
            Type = c.Type.ToString(),
            Title = c.Title,
            IssuingBody = c.IssuingBody,
            DocumentNumber = c.DocumentNumber,
            IssuedOn = c.IssuedOn,
            EffectiveOn = c.EffectiveOn,
            ExpiresOn = c.ExpiresOn,
            ApplyFrom = c.ApplyFrom,
            ApplyUntil = c.ApplyUntil,
            Body = c.Body,
            Conditions = c.Terms?.Conditions ?? "",
            Materials = c.Terms?.Materials ?? "",
            Procedure = c.Terms?.Procedure ?? "",
            Contact = c.Terms?.Contact ?? "",
            Attachments = string.Join("\n", c.Attachments.Select(a => $"{a.Title} | {a.Url}")),
            ServiceItemCodes = string.Join("\n", c.ServiceItemCodes),
            InterpretsPolicyId = c.InterpretsPolicyId,
            OnlineUrl = c.OnlineUrl,
        };
        return new ConsoleDocument(
            d.DocumentId, c.Type.ToString(), Types.FirstOrDefault(t => t.Key == c.Type.ToString()).Label ?? "未知类别",
            d.State.ToString(), States.FirstOrDefault(s => s.Key == d.State.ToString()).Label ?? "未知状态",
            c.Title, c.DocumentNumber, Time(d.UpdatedAt) ?? DateTimeOffset.MinValue, Time(d.PublishedAt), d.EventCount, c.Demo, d.SubmittedBy, form,
            d.Audit.Select(a => new DocumentTrailEntry(a.Sequence, Time(a.At) ?? DateTimeOffset.MinValue, a.By, a.What, a.Note)).ToList());
    }

    private static DateTimeOffset? Time(Timestamp? t) => t?.ToDateTimeOffset();

    /// <summary>A day for a date input from a DateTimeOffset (local).</summary>
    public static string Day(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

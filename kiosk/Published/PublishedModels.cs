namespace ServiceHall.Kiosk.Published;

/// <summary>The kinds of 主动公开 content, in the order the kiosk's catalogue lists them.</summary>
public enum DocumentKind
{
    Guide = 1,
    Catalogue = 2,
    Policy = 3,
    Interpretation = 4,
    EnterprisePolicy = 5,
    PromiseCertificates = 6,
    EnterpriseFees = 7,
    ServiceModeList = 8,
}

public sealed record DocumentLinkInfo(string Title, string Url);

public sealed record EnterpriseTermsInfo(string Conditions, string Materials, string Procedure, string Contact);

/// <summary>A published document as the kiosk shows it. Dates are the district's local days.</summary>
public sealed record PublicDocumentInfo(
    string Id,
    DocumentKind Kind,
    string Title,
    string IssuingBody,
    string DocumentNumber,
    DateOnly? IssuedOn,
    DateOnly? EffectiveOn,
    DateOnly? ExpiresOn,
    DateOnly? ApplyFrom,
    DateOnly? ApplyUntil,
    string Body,
    EnterpriseTermsInfo? Terms,
    IReadOnlyList<DocumentLinkInfo> Attachments,
    IReadOnlyList<string> ServiceItemCodes,
    string? InterpretsPolicyId,
    string OnlineUrl,
    bool Demo,
    DateTimeOffset PublishedAt,
    IReadOnlyList<string> InterpretationIds)
{
    /// <summary>The body's paragraphs (separated by blank lines in the text the office wrote).</summary>
    public IEnumerable<string> Paragraphs => Body.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Days left to apply on <paramref name="today"/> (0 on the last day) while the application window is open; null when it
    /// is not open (not yet, or over) or the document has none.
    /// </summary>
    public int? DaysLeftToApply(DateOnly today) =>
        ApplyFrom is { } from && ApplyUntil is { } until && from <= today && today <= until ? until.DayNumber - today.DayNumber : null;
}

/// <summary>The published set, its version, and when and from where the kiosk got it.</summary>
public sealed record PublishedSetSnapshot(string Version, IReadOnlyList<PublicDocumentInfo> Documents, DateTimeOffset FetchedAt, bool FromSavedFile)
{
    public PublicDocumentInfo? Find(string id) => Documents.FirstOrDefault(d => d.Id == id);

    public IEnumerable<PublicDocumentInfo> OfKind(DocumentKind kind) => Documents.Where(d => d.Kind == kind);
}

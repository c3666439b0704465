namespace ServiceHall.Server.Domain;

/// <summary>The kinds of file a case's evidence may be: photos and PDF documents.</summary>
public enum EvidenceFileKind
{
    Jpeg = 1,
    Png = 2,
    Pdf = 3,
}

/// <summary>
/// A file attached to a 差评 case as evidence (a photo of the fixed window, a scanned ledger page), kept with the case
/// and shown only to staff who may see the case (docs/rules/bad-review-cases.md#evidence-files). A step's evidence names
/// it by <see cref="Reference"/>.
/// </summary>
public sealed record EvidenceFile(
    Guid Id, Guid CaseId, string FileName, EvidenceFileKind Kind, long SizeBytes, string Sha256, string UploadedBy, DateTimeOffset UploadedAt)
{
    /// <summary>What a step's evidence input holds for this file: "附件:" and its id.</summary>
    public string Reference => EvidenceFiles.ReferencePrefix + Id.ToString("D");

    public string ContentType => EvidenceFiles.ContentTypeOf(Kind);
}

/// <summary>What a case accepts as an evidence file: its type read from the file's first bytes, its size, its name.</summary>
public static class EvidenceFiles
{
    /// <summary>How a step's evidence refers to an uploaded file ("附件:0193…").</summary>
    public const string ReferencePrefix = "附件:";

    /// <summary>The longest file name kept (the name is only shown; the file is found by its id).</summary>
    public const int MaxFileNameLength = 100;

    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Pdf = "%PDF-"u8.ToArray();

    /// <summary>The file's kind from its leading bytes (its "magic number"), whatever its name says; null for any other.</summary>
    public static EvidenceFileKind? Sniff(ReadOnlySpan<byte> content) =>
        content.StartsWith(Jpeg) ? EvidenceFileKind.Jpeg
        : content.StartsWith(Png) ? EvidenceFileKind.Png
        : content.StartsWith(Pdf) ? EvidenceFileKind.Pdf
        : null;

    public static string ContentTypeOf(EvidenceFileKind kind) => kind switch
    {
        EvidenceFileKind.Jpeg => "image/jpeg",
        EvidenceFileKind.Png => "image/png",
        EvidenceFileKind.Pdf => "application/pdf",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// Checks an upload and describes the file to keep: a name (no folders, no control characters), a type read from the
    /// content, at most <paramref name="maxBytes"/>, and room for it on the case (<paramref name="maxPerCase"/>).
    /// Refusals name the field at fault ("file_name", "content").
    /// </summary>
    public static EvidenceFile Accept(
        Guid caseId, string? fileName, ReadOnlySpan<byte> content, int maxBytes, int filesBefore, int maxPerCase, Actor by, DateTimeOffset at)
    {
        var name = PublicText.StripControls(fileName ?? "").Trim();
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        if (name.Length == 0)
        {
            throw new InvalidInputException("file_name", "须给出文件名");
        }

        if (name.Length > MaxFileNameLength)
        {
            throw new InvalidInputException("file_name", $"文件名不超过 {MaxFileNameLength} 个字符");
        }

        if (content.Length == 0)
        {
            throw new InvalidInputException("content", "文件为空");
        }

        if (content.Length > maxBytes)
        {
            throw new InvalidInputException("content", $"文件不超过 {FormatSize(maxBytes)}");
        }

        var kind = Sniff(content) ?? throw new InvalidInputException("content", "只接受 JPEG、PNG 照片或 PDF 文件（按文件内容判断）");
        if (filesBefore >= maxPerCase)
        {
            throw new InvalidInputException("content", $"每个案件最多 {maxPerCase} 个附件");
        }

        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        return new EvidenceFile(Guid.CreateVersion7(at), caseId, name, kind, content.Length, sha, by.Id, at);
    }

    /// <summary>5 MB, 512 KB.</summary>
    public static string FormatSize(long bytes) => bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0
        ? $"{bytes / (1024 * 1024)} MB"
        : bytes >= 1024 ? $"{bytes / 1024} KB" : $"{bytes} 字节";
}

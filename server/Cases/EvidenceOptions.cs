using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Server.Cases;

/// <summary>What a case's evidence files may be (docs/rules/bad-review-cases.md#evidence-files). Section "CaseEvidence".</summary>
public sealed class EvidenceOptions
{
    public const string Section = "CaseEvidence";

    /// <summary>The largest file accepted, in bytes: a phone photo or a scanned page (5 MB by default).</summary>
    [Range(1024, 32 * 1024 * 1024)]
    public int MaxFileBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>How many files one case may hold.</summary>
    [Range(1, 100)]
    public int MaxFilesPerCase { get; set; } = 10;

    /// <summary>
    /// The largest gRPC message the case service receives: one file and its envelope. A bigger message is refused by the
    /// transport (ResourceExhausted) before it is read; one within it but over <see cref="MaxFileBytes"/> is refused
    /// naming the field.
    /// </summary>
    public int MaxReceiveMessageBytes => MaxFileBytes + (64 * 1024);
}

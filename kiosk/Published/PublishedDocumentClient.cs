using System.Globalization;
using ServiceHall.Kiosk.Services;
using ServiceHall.Protos.V1;

namespace ServiceHall.Kiosk.Published;

/// <summary>Reads the published set from the server and maps it to the kiosk's records. Map, call, map.</summary>
public sealed class PublishedDocumentClient(PublishedDocumentService.PublishedDocumentServiceClient client, TimeProvider time)
{
    /// <summary>The set when it differs from <paramref name="knownVersion"/>; null when the kiosk's copy is current.</summary>
    public async Task<(string Version, IReadOnlyList<PublicDocumentInfo>? Documents)> GetAsync(string? knownVersion, CancellationToken cancellationToken)
    {
        var response = await client.GetPublishedSetAsync(
            new GetPublishedSetRequest { KnownVersion = knownVersion ?? "" },
            deadline: time.GetUtcNow().UtcDateTime + ServiceHallClient.CallTimeout, cancellationToken: cancellationToken);
        return response.Unchanged ? (response.Version, null) : (response.Version, response.Documents.Select(ToInfo).OfType<PublicDocumentInfo>().ToList());
    }

    private static PublicDocumentInfo? ToInfo(PublicDocument d)
    {
        var c = d.Content;
        if (c is null || Kind(c.Type) is not { } kind)
        {
            return null; // a kind this kiosk does not know yet: not shown
        }

        return new PublicDocumentInfo(
            d.DocumentId, kind, c.Title, c.IssuingBody, c.DocumentNumber, Day(c.IssuedOn), Day(c.EffectiveOn), Day(c.ExpiresOn),
            Day(c.ApplyFrom), Day(c.ApplyUntil), c.Body,
            c.Terms is { } t ? new EnterpriseTermsInfo(t.Conditions, t.Materials, t.Procedure, t.Contact) : null,
            [.. c.Attachments.Select(a => new DocumentLinkInfo(a.Title, a.Url))],
            [.. c.ServiceItemCodes],
            c.InterpretsPolicyId.Length == 0 ? null : c.InterpretsPolicyId,
            c.OnlineUrl, c.Demo, d.PublishedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue, [.. d.InterpretationIds]);
    }

    private static DateOnly? Day(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    private static DocumentKind? Kind(PublishedDocumentType type) => type switch
    {
        PublishedDocumentType.Guide => DocumentKind.Guide,
        PublishedDocumentType.Catalogue => DocumentKind.Catalogue,
        PublishedDocumentType.Policy => DocumentKind.Policy,
        PublishedDocumentType.Interpretation => DocumentKind.Interpretation,
        PublishedDocumentType.EnterprisePolicy => DocumentKind.EnterprisePolicy,
        PublishedDocumentType.PromiseCertificates => DocumentKind.PromiseCertificates,
        PublishedDocumentType.EnterpriseFees => DocumentKind.EnterpriseFees,
        PublishedDocumentType.ServiceModeList => DocumentKind.ServiceModeList,
        _ => null,
    };
}

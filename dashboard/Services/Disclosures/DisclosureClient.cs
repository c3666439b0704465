using System.Text.Json;
using Grpc.Core;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Disclosures;

/// <summary>The server cannot be reached or sent something unreadable; the page says so and offers to retry.</summary>
public sealed class DisclosureUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Reads the periodic disclosures from <c>DisclosureService</c> (public, no sign-in) and maps them to the records above:
/// components never see proto types.
/// </summary>
public sealed class DisclosureClient(DisclosureService.DisclosureServiceClient client, ILogger<DisclosureClient> logger)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Every published version, newest first as the server lists them.</summary>
    public async Task<IReadOnlyList<PublicationSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await client.ListPublicationsAsync(
                new ListPublicationsRequest(), deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
            return response.Publications.Select(ToSummary).ToList();
        }
        catch (RpcException ex)
        {
            logger.LogWarning("Publications unavailable: {StatusCode} {Detail}", ex.StatusCode, ex.Status.Detail);
            throw new DisclosureUnavailableException("暂时无法连接服务器，请稍后重试。", ex);
        }
    }

    /// <summary>
    /// One version (0 = the latest) as frozen, less anything withdrawn, or null if that period or version was never
    /// published. A version withdrawn as a whole comes with its header and notices and no document.
    /// </summary>
    public async Task<PublishedVersion?> GetAsync(string periodKey, int version, CancellationToken cancellationToken = default)
    {
        GetPublicationResponse response;
        try
        {
            response = await client.GetPublicationAsync(
                new GetPublicationRequest { PeriodKey = periodKey, Version = version },
                deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            return null;
        }
        catch (RpcException ex)
        {
            logger.LogWarning("Publication {PeriodKey} v{Version} unavailable: {StatusCode} {Detail}", periodKey, version, ex.StatusCode, ex.Status.Detail);
            throw new DisclosureUnavailableException("暂时无法连接服务器，请稍后重试。", ex);
        }

        if (response.Header.Withdrawn)
        {
            return new PublishedVersion(ToSummary(response.Header), null);
        }

        try
        {
            return new PublishedVersion(ToSummary(response.Header), PublishedDocument.Parse(response.ContentJson));
        }
        catch (JsonException ex)
        {
            logger.LogError(ex, "Publication {PeriodKey} v{Version} is not readable", periodKey, version);
            throw new DisclosureUnavailableException("公开内容暂时无法显示，请下载 JSON 文件查看。", ex);
        }
    }

    private static PublicationSummary ToSummary(PublicationHeader header) => new(
        header.PeriodKey,
        header.PeriodLabel,
        header.Version,
        header.PublishedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue,
        header.Correction is { Length: > 0 } correction ? correction : null,
        header.SignOff is { } s
            ? new PublishedSignOff(s.IssuingBody, s.Contact, s.ApprovedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue, s.ApprovingRole)
            : null,
        header.Withdrawals.Select(w => new PublishedWithdrawal(
            w.HasRow ? w.Row : null, w.WithdrawnAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue, w.Reason)).ToList(),
        header.Withdrawn,
        header.Headline.Select(f => new PublishedFigure(f.Code, f.Name, f.Display)).ToList());
}

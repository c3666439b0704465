using Grpc.Core;
using ServiceHall.Dashboard.Services.Casework;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Disclosures;

/// <summary>
/// Reads the public annual report of 依申请公开 (GetPublishedDisclosureAnnualReport: counts only, no sign-in) for the
/// public disclosure pages (docs/rules/disclosure-requests.md#the-annual-table).
/// </summary>
public sealed class PublishedAnnualReportClient(
    DisclosureRequestService.DisclosureRequestServiceClient client, ILogger<PublishedAnnualReportClient> logger)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The tables of a year that has ended; null for a year the server does not publish (not yet ended, or before 2008).</summary>
    public async Task<DisclosureAnnualReport?> GetAsync(int year, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await client.GetPublishedDisclosureAnnualReportAsync(
                new GetDisclosureAnnualReportRequest { Year = year }, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
            return DisclosureAnnualReport.From(response);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.FailedPrecondition or StatusCode.InvalidArgument)
        {
            return null;
        }
        catch (RpcException ex)
        {
            logger.LogWarning("Annual disclosure report {Year} unavailable: {StatusCode} {Detail}", year, ex.StatusCode, ex.Status.Detail);
            throw new DisclosureUnavailableException("暂时无法连接服务器，请稍后重试。", ex);
        }
    }
}

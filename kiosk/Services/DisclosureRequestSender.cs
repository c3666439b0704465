using Grpc.Core;
using Microsoft.Extensions.Options;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// Delivers the outbox's 依申请公开 requests (SubmitDisclosureRequest, one call each, idempotent by the request's id) and
/// keeps the intake terms fresh (<see cref="DisclosureIntakeTerms"/>), retrying with the shared backoff
/// (<see cref="Reconnect"/>) while the server is away, and waking at once when a request is enqueued. InvalidArgument is
/// the server's final word on a request (the field at fault is kept); any other failure leaves it pending.
/// </summary>
public sealed class DisclosureRequestSender : BackgroundService
{
    /// <summary>Idle, the sender looks again this soon, in case a wake-up was missed.</summary>
    internal static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(30);

    private readonly Outbox _outbox;
    private readonly DisclosureRequestClient _client;
    private readonly DisclosureIntakeTerms _terms;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _termsRefresh;
    private readonly ILogger<DisclosureRequestSender> _logger;
    private readonly Reconnect _retry;
    private DateTimeOffset? _termsFetchedAt;

    public DisclosureRequestSender(
        Outbox outbox,
        DisclosureRequestClient client,
        DisclosureIntakeTerms terms,
        IOptions<KioskOptions> options,
        TimeProvider timeProvider,
        ILogger<DisclosureRequestSender> logger,
        ReconnectOptions? reconnect = null)
    {
        _outbox = outbox;
        _client = client;
        _terms = terms;
        _timeProvider = timeProvider;
        _termsRefresh = TimeSpan.FromMinutes(options.Value.CatalogRefreshMinutes);
        _logger = logger;
        // Every failure is retried: the requests stay in the outbox, and the sender must not stop the host.
        _retry = new Reconnect(reconnect ?? new ReconnectOptions(), timeProvider, static _ => true);
        _retry.Disconnected += wait => _logger.LogDebug("Sending disclosure requests again in {Backoff}", wait.Delay);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        DeliveryLoop.RunAsync(_retry, _timeProvider, _outbox.WaitForDisclosureRequestAsync, async cancellationToken =>
        {
            await DeliverOnceAsync(cancellationToken);
            return IdlePoll;
        }, stoppingToken);

    /// <summary>Refreshes the terms when due and delivers every pending request once; throws when the server could not be reached.</summary>
    internal async Task DeliverOnceAsync(CancellationToken cancellationToken)
    {
        if (_termsFetchedAt is not { } fetched || _timeProvider.GetUtcNow() - fetched >= _termsRefresh)
        {
            try
            {
                _terms.Replace(await _client.GetIntakeTermsAsync(cancellationToken));
                _termsFetchedAt = _timeProvider.GetUtcNow();
            }
            catch (RpcException ex)
            {
                _logger.LogWarning("Loading the disclosure intake terms failed: {Status} {Detail}", ex.StatusCode, ex.Status.Detail);
            }
        }

        foreach (var request in await _outbox.GetPendingDisclosureRequestsAsync(cancellationToken))
        {
            try
            {
                var receipt = await _client.SubmitAsync(request, cancellationToken);
                await _outbox.RecordDisclosureRequestAcceptedAsync(request.Id, receipt, cancellationToken);
                _logger.LogInformation("Disclosure request {RequestNumber} handed in", receipt.RequestNumber);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
            {
                // The server's final word on this request; the field and its reason say nothing about the applicant.
                var error = RpcErrors.Read(ex);
                var field = error.FirstFieldError?.Field ?? "";
                var reason = error.FirstFieldError?.Reason ?? error.Message;
                await _outbox.RecordDisclosureRequestRefusedAsync(request.Id, field, reason, cancellationToken);
                _logger.LogWarning("Disclosure request {RequestId} refused by the server: {Field} {Reason}", request.Id, field, reason);
            }
            catch (Exception ex) when (ex is RpcException or HttpRequestException
                                           || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                await _outbox.RecordDisclosureRequestAttemptAsync(request.Id, cancellationToken);
                _logger.LogWarning("Handing in disclosure request {RequestId} failed ({Error}); retrying", request.Id, ex.Message);
                throw;
            }
        }
    }
}

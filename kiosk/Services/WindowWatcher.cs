using Grpc.Core;
using Microsoft.Extensions.Options;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// On a window pad: follows TransactionService.WatchWindow for the pad's window and hands each invitation to
/// <see cref="PadInvitation"/>. Reconnects when the stream breaks, backing off 1 s doubling to 30 s.
/// </summary>
public sealed class WindowWatcher(
    TransactionClient client,
    PadInvitation pad,
    IOptions<KioskOptions> options,
    TimeProvider timeProvider,
    ILogger<WindowWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var window = options.Value.WindowCode!;
        var backoff = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                logger.LogInformation("Watching window {WindowCode} for finished transactions", window);
                await foreach (var transaction in client.WatchWindowAsync(window, stoppingToken))
                {
                    backoff = TimeSpan.Zero;
                    logger.LogInformation("Transaction {TransactionNumber} finished at window {WindowCode}: inviting a rating",
                        transaction.TransactionNumber, window);
                    await pad.OfferAsync(transaction, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RpcException or HttpRequestException or IOException)
            {
                logger.LogWarning("Watching window {WindowCode} broke off ({Error}); reconnecting", window, ex.Message);
            }
            backoff = backoff == TimeSpan.Zero ? OutboxSender.FirstBackoff
                : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, OutboxSender.MaxBackoff.Ticks));
            try
            {
                await Task.Delay(backoff, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

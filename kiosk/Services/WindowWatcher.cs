using Grpc.Core;
using Microsoft.Extensions.Options;
using ServiceHall.Kiosk.Rating;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// On a window pad: follows TransactionService.WatchWindow for the pad's window and hands each finished transaction to
/// <see cref="WindowPad"/>. Reconnects with the shared backoff (<see cref="Reconnect"/>) when the stream breaks.
/// </summary>
public sealed class WindowWatcher : BackgroundService
{
    private readonly TransactionClient _client;
    private readonly WindowPad _pad;
    private readonly string _window;
    private readonly ILogger<WindowWatcher> _logger;
    private readonly Reconnect _reconnect;

    public WindowWatcher(
        TransactionClient client,
        WindowPad pad,
        IOptions<KioskOptions> options,
        TimeProvider timeProvider,
        ILogger<WindowWatcher> logger,
        ReconnectOptions? reconnect = null)
    {
        _client = client;
        _pad = pad;
        _window = options.Value.WindowCode!;
        _logger = logger;
        // Anything but a broken connection (a failing outbox, say) stops the watcher, as it stops the host.
        _reconnect = new Reconnect(reconnect ?? new ReconnectOptions(), timeProvider,
            static ex => ex is RpcException or HttpRequestException or IOException);
        _reconnect.Disconnected += wait => _logger.LogWarning(
            "Watching window {WindowCode} broke off ({Error}); reconnecting in {Backoff}",
            _window, wait.Error?.Message ?? "the stream ended", wait.Delay);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _reconnect.KeepConnectedAsync(async (connected, token) =>
        {
            _logger.LogInformation("Watching window {WindowCode} for finished transactions", _window);
            await foreach (var transaction in _client.WatchWindowAsync(_window, token))
            {
                connected();
                _logger.LogInformation("Transaction {TransactionNumber} finished at window {WindowCode}: inviting a rating",
                    transaction.TransactionNumber, _window);
                await _pad.OfferAsync(transaction, token);
            }
        }, stoppingToken);
}

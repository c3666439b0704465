namespace ServiceHall.Kiosk.Services;

/// <summary>
/// The loop both outbox senders run until the kiosk stops: deliver once under the shared backoff
/// (<see cref="Reconnect"/>), wait as long as the delivery asks, and wake at once when something new is enqueued (the
/// retries then start over).
/// </summary>
internal static class DeliveryLoop
{
    /// <param name="retry">The backoff between failed deliveries.</param>
    /// <param name="timeProvider">The clock the waits run on.</param>
    /// <param name="waitForEnqueue">Completes when something new is enqueued.</param>
    /// <param name="deliverOnce">Delivers what is pending and returns how long to wait before looking again (zero: at once);
    /// throws when the delivery failed and should be retried.</param>
    /// <param name="stoppingToken">Ends the loop.</param>
    public static async Task RunAsync(
        Reconnect retry,
        TimeProvider timeProvider,
        Func<CancellationToken, Task> waitForEnqueue,
        Func<CancellationToken, Task<TimeSpan>> deliverOnce,
        CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Something new wakes the sender from the idle poll and from a retry's wait.
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var enqueued = waitForEnqueue(wake.Token).ContinueWith(
                static (waited, state) =>
                {
                    if (waited.IsCompletedSuccessfully)
                    {
                        ((CancellationTokenSource)state!).Cancel();
                    }
                },
                wake, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            try
            {
                // The delivery itself runs under the stopping token only: a wake-up never cuts a call short.
                var wait = await retry.RetryAsync(_ => new ValueTask<TimeSpan>(deliverOnce(stoppingToken)), wake.Token);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, timeProvider, wake.Token);
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // Woken by something new: deliver it now.
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                await wake.CancelAsync();
                await enqueued;
            }
        }
    }
}

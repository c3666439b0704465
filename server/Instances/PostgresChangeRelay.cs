using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using ServiceHall.Server.Cases;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Instances;

/// <summary>
/// Carries change notices between server instances on one PostgreSQL database with LISTEN/NOTIFY: what this instance
/// announces goes out every <see cref="FlushInterval"/> (a burst of ratings becomes one notice per hall), and what the
/// others announce wakes this instance's streams as if it had happened here.
/// </summary>
public sealed class PostgresChangeRelay(
    NpgsqlDataSource dataSource, ICaseStore caseStore, ITransactionStore transactionStore, CatalogSource catalog, LiveFiguresHub figures, Broadcaster<CaseChange> cases,
    Broadcaster<ServiceTransaction> transactions, ILogger<PostgresChangeRelay> logger) : BackgroundService, IInstanceAnnouncer
{
    public const string Channel = "servicehall_changes";

    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);

    // NOTIFY takes payloads under 8,000 bytes; notices are split well below that.
    private const int MaxPayloadNotices = 50;

    private readonly string _instanceId = Guid.NewGuid().ToString("N");
    private readonly ConcurrentQueue<InstanceNotice> _outgoing = new();

    public void Announce(InstanceNotice notice) => _outgoing.Enqueue(notice);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var notices = Drain();
            if (notices.Count == 0)
            {
                continue;
            }

            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                foreach (var chunk in notices.Chunk(MaxPayloadNotices))
                {
                    await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                    notify.Parameters.AddWithValue("channel", Channel);
                    notify.Parameters.AddWithValue("payload", JsonSerializer.Serialize(new Envelope(_instanceId, chunk)));
                    await notify.ExecuteNonQueryAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // The others miss these notices; their streams still refresh on their own timers.
                logger.LogWarning(e, "Could not tell the other instances about {Count} changes", notices.Count);
            }
        }
    }

    /// <summary>Everything queued, with the ratings notices merged into one.</summary>
    private List<InstanceNotice> Drain()
    {
        var halls = new HashSet<string>();
        var others = new List<InstanceNotice>();
        while (_outgoing.TryDequeue(out var notice))
        {
            if (notice.Kind == NoticeKind.RatingsStored)
            {
                halls.UnionWith(notice.Keys);
            }
            else
            {
                others.Add(notice);
            }
        }

        if (halls.Count > 0)
        {
            others.Insert(0, InstanceNotice.RatingsStored(halls));
        }

        return others;
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                var received = new List<Envelope>();
                connection.Notification += (_, e) =>
                {
                    if (JsonSerializer.Deserialize<Envelope>(e.Payload) is { } envelope && envelope.From != _instanceId)
                    {
                        received.Add(envelope);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Whatever the others said while this instance was not listening is unknown: every hall's figures refresh.
                figures.RatingsStored(catalog.Current.Halls.Select(h => h.Code));
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                    foreach (var notice in received.SelectMany(e => e.Notices))
                    {
                        await DeliverAsync(notice, stoppingToken);
                    }

                    received.Clear();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                logger.LogWarning(e, "Lost the notice channel from the other instances; listening again in 1 s");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(InstanceNotice notice, CancellationToken cancellationToken)
    {
        switch (notice.Kind)
        {
            case NoticeKind.RatingsStored:
                figures.RatingsStored(notice.Keys);
                break;
            case NoticeKind.CaseChanged when Guid.TryParse(notice.Keys[0], out var caseId):
                if (await caseStore.FindCaseAsync(caseId, cancellationToken) is { } c)
                {
                    cases.Publish(new CaseChange(c, notice.Opened));
                    figures.CasesChanged([c.HallCode]);
                }

                break;
            case NoticeKind.TransactionCompleted:
                if (await transactionStore.FindTransactionAsync(notice.Keys[0], cancellationToken) is { } transaction)
                {
                    transactions.Publish(transaction);
                }

                break;
        }
    }

    private sealed record Envelope(string From, IReadOnlyList<InstanceNotice> Notices);
}

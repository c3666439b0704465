using Microsoft.Extensions.Options;
using Npgsql;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Instances;

/// <summary>
/// Decides which server instance runs the scheduled jobs (the overdue scan, publishing disclosures), so that several
/// instances on one database run each job once, not once each.
/// </summary>
public interface IJobLeadership
{
    /// <summary>Returns once this instance runs the jobs; an instance that never leads waits here until it is stopped.</summary>
    Task WaitUntilLeaderAsync(CancellationToken cancellationToken);
}

/// <summary>One server on its own: it always runs the jobs.</summary>
public sealed class SingleInstanceLeadership : IJobLeadership
{
    public Task WaitUntilLeaderAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The instance holding a PostgreSQL session advisory lock runs the jobs. The lock lives as long as the connection that
/// took it: when the leading instance stops or loses its connection, another takes the lock within
/// <see cref="RetryInterval"/>.
/// </summary>
public sealed class PostgresJobLeadership(IOptions<StorageOptions> options, ILogger<PostgresJobLeadership> logger) : BackgroundService, IJobLeadership
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    private volatile TaskCompletionSource _leading = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task WaitUntilLeaderAsync(CancellationToken cancellationToken) => await _leading.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var waitingLogged = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Not from the pool: the lock must stay with this one connection, held open for as long as this instance leads.
                await using var connection = new NpgsqlConnection(
                    new NpgsqlConnectionStringBuilder(options.Value.PostgresConnectionString) { Pooling = false }.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext('servicehall:jobs'))", connection);
                if (await take.ExecuteScalarAsync(stoppingToken) is not true)
                {
                    if (!waitingLogged)
                    {
                        logger.LogInformation("Another instance runs the scheduled jobs; this one stands by");
                        waitingLogged = true;
                    }

                    await connection.CloseAsync();
                    await Task.Delay(RetryInterval, stoppingToken);
                    continue;
                }

                logger.LogInformation("This instance runs the scheduled jobs (overdue scan, disclosures)");
                _leading.TrySetResult();
                // Leading until the connection fails; a cheap query each interval notices that.
                while (true)
                {
                    await Task.Delay(RetryInterval, stoppingToken);
                    await using var alive = new NpgsqlCommand("SELECT 1", connection);
                    await alive.ExecuteScalarAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                if (_leading.Task.IsCompleted)
                {
                    logger.LogWarning(e, "Lost the connection that held the job lock; this instance stops running the scheduled jobs");
                    _leading = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                await Task.Delay(RetryInterval, stoppingToken);
            }
        }
    }
}

using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ServiceHall.Kiosk.Rating;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// The kiosk's durable outbox (SQLite, WAL, synchronous=FULL). A rating is committed here before the citizen sees
/// "thank you", then <see cref="OutboxSender"/> delivers it. Rows are kept after delivery or rejection so the
/// kiosk's record can be compared with the server's. The callback phone is kept in its own column and erased as
/// soon as the server has answered for the rating.
/// </summary>
public sealed partial class Outbox : IDisposable
{
    /// <summary>The largest batch <see cref="GetPendingBatchAsync"/> returns.</summary>
    public const int MaxBatchSize = 50;

    private const int Pending = 0;
    private const int Delivered = 1;
    private const int Rejected = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _timeProvider;
    // SqliteConnection is not thread-safe; the UI circuits, the sender and the maintenance page share this one.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _enqueued = new(0, 1);

    public Outbox(string databasePath, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        DatabasePath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS outbox (
                seq             INTEGER PRIMARY KEY AUTOINCREMENT,
                rating_id       TEXT    NOT NULL UNIQUE,
                payload         TEXT    NOT NULL,
                callback_phone  TEXT    NULL,
                enqueued_at     INTEGER NOT NULL,
                state           INTEGER NOT NULL,
                attempts        INTEGER NOT NULL DEFAULT 0,
                delivered_at    INTEGER NULL,
                rejected_at     INTEGER NULL,
                rejected_field  TEXT    NULL,
                rejected_reason TEXT    NULL,
                held_until      INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX IF NOT EXISTS ix_outbox_state ON outbox (state, seq);
            CREATE TABLE IF NOT EXISTS not_rated (
                transaction_number TEXT    PRIMARY KEY,
                enqueued_at        INTEGER NOT NULL,
                attempts           INTEGER NOT NULL DEFAULT 0,
                done_at            INTEGER NULL
            );
            """);
        CreateDisclosureRequestTable();
        // An outbox written before ratings could be held gets the column (0: not held).
        if (!ColumnExists("outbox", "held_until"))
        {
            Execute("ALTER TABLE outbox ADD COLUMN held_until INTEGER NOT NULL DEFAULT 0");
        }
        // A rating held for a citizen who was still adding to it when the kiosk stopped goes out as it was written.
        Execute("UPDATE outbox SET held_until = 0 WHERE state = 0 AND held_until <> 0");
    }

    public string DatabasePath { get; }

    /// <summary>
    /// Writes the rating and commits (fsync) before returning; only then may the UI thank the citizen.
    /// Enqueuing the same id twice keeps the first. A rating given <paramref name="heldUntil"/> is recorded but not sent
    /// before that time, unless released earlier (<see cref="ReleaseHeldAsync"/>): the citizen who tapped a good level
    /// may still add reasons or change the choice (<see cref="ReplaceHeldAsync"/>, <see cref="DiscardHeldAsync"/>). The
    /// time is a safety net: a held rating whose screen never released it still goes out then.
    /// </summary>
    public async Task EnqueueAsync(KioskRating rating, DateTimeOffset? heldUntil = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rating);
        await UnderGateAsync(async () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO outbox (rating_id, payload, callback_phone, enqueued_at, state, held_until)
                VALUES ($id, $payload, $phone, $now, 0, $held)
                ON CONFLICT (rating_id) DO NOTHING
                """;
            AddRating(command, rating);
            command.Parameters.AddWithValue("$now", Now());
            command.Parameters.AddWithValue("$held", heldUntil?.ToUnixTimeMilliseconds() ?? 0);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        if (heldUntil is null)
        {
            SignalEnqueued();
        }
    }

    /// <summary>
    /// Rewrites a rating that is still held (same id: the citizen added a reason or changed the level) and keeps it held
    /// until <paramref name="heldUntil"/>. False when it is no longer held: it may already be on its way.
    /// </summary>
    public Task<bool> ReplaceHeldAsync(KioskRating rating, DateTimeOffset heldUntil, CancellationToken cancellationToken = default) =>
        UpdateHeldAsync(rating, heldUntil.ToUnixTimeMilliseconds(), cancellationToken);

    /// <summary>Writes the final form of a held rating and lets it go out now. False when it was no longer held.</summary>
    public async Task<bool> ReleaseHeldAsync(KioskRating rating, CancellationToken cancellationToken = default)
    {
        var released = await UpdateHeldAsync(rating, 0, cancellationToken);
        SignalEnqueued();
        return released;
    }

    /// <summary>
    /// Removes a rating that is still held: the citizen changed a good level into a 差评, which is recorded on its own
    /// once it is complete. False when it was no longer held (then it stays recorded as it was).
    /// </summary>
    public Task<bool> DiscardHeldAsync(Guid ratingId, CancellationToken cancellationToken = default) =>
        UnderGateAsync(async () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM outbox WHERE rating_id = $id AND state = 0 AND held_until > $now";
            command.Parameters.AddWithValue("$id", ratingId.ToString());
            command.Parameters.AddWithValue("$now", Now());
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task WaitForEnqueueAsync(CancellationToken cancellationToken) => _enqueued.WaitAsync(cancellationToken);

    /// <summary>Pending ratings, oldest first, at most <paramref name="max"/> (capped at <see cref="MaxBatchSize"/>).</summary>
    public async Task<IReadOnlyList<KioskRating>> GetPendingBatchAsync(
        int max = MaxBatchSize, CancellationToken cancellationToken = default)
    {
        var limit = Math.Clamp(max, 1, MaxBatchSize);
        return await UnderGateAsync(async () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT payload, callback_phone FROM outbox WHERE state = 0 AND held_until <= $now ORDER BY seq LIMIT $limit";
            command.Parameters.AddWithValue("$limit", limit);
            command.Parameters.AddWithValue("$now", Now());
            var batch = new List<KioskRating>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var rating = JsonSerializer.Deserialize<KioskRating>(reader.GetString(0), Json)
                    ?? throw new InvalidDataException("an outbox row holds no rating");
                batch.Add(rating with { CallbackPhone = reader.IsDBNull(1) ? null : reader.GetString(1) });
            }
            return batch;
        }, cancellationToken);
    }

    /// <summary>Records the server's answers: stored → delivered; rejected → rejected with field and reason.</summary>
    public async Task RecordResultsAsync(IEnumerable<DeliveryResult> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        var now = Now();
        await UnderGateAsync(async () =>
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var result in results)
            {
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = result.Outcome switch
                {
                    DeliveryOutcome.Stored => """
                        UPDATE outbox SET state = 1, delivered_at = $now, callback_phone = NULL, attempts = attempts + 1
                        WHERE rating_id = $id AND state = 0
                        """,
                    DeliveryOutcome.Rejected => """
                        UPDATE outbox SET state = 2, rejected_at = $now, rejected_field = $field, rejected_reason = $reason,
                            callback_phone = NULL, attempts = attempts + 1
                        WHERE rating_id = $id AND state = 0
                        """,
                    _ => throw new ArgumentOutOfRangeException(nameof(results), result.Outcome, "unknown outcome"),
                };
                command.Parameters.AddWithValue("$id", result.RatingId.ToString());
                command.Parameters.AddWithValue("$now", now);
                command.Parameters.AddWithValue("$field", result.Field ?? "");
                command.Parameters.AddWithValue("$reason", result.Reason ?? "");
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }, cancellationToken);
    }

    /// <summary>Counts a failed attempt for each rating (for the maintenance page); they stay pending.</summary>
    public async Task RecordFailedAttemptAsync(IEnumerable<Guid> ratingIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ratingIds);
        await UnderGateAsync(async () =>
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var id in ratingIds)
            {
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "UPDATE outbox SET attempts = attempts + 1 WHERE rating_id = $id AND state = 0";
                command.Parameters.AddWithValue("$id", id.ToString());
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }, cancellationToken);
    }

    /// <summary>How many ratings wait to be delivered.</summary>
    public Task<int> GetDepthAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync("SELECT COUNT(*) FROM outbox WHERE state = 0", v => Convert.ToInt32(v, CultureInfo.InvariantCulture), 0,
            cancellationToken);

    /// <summary>How long the oldest pending rating has waited; null when nothing is pending.</summary>
    public async Task<TimeSpan?> GetOldestPendingAgeAsync(CancellationToken cancellationToken = default)
    {
        var oldest = await ScalarAsync<long?>("SELECT MIN(enqueued_at) FROM outbox WHERE state = 0",
            v => Convert.ToInt64(v, CultureInfo.InvariantCulture), null, cancellationToken);
        return oldest is { } ms ? _timeProvider.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>When the server last confirmed a rating from this kiosk; null if it never has.</summary>
    public async Task<DateTimeOffset?> GetLastDeliveryAsync(CancellationToken cancellationToken = default)
    {
        var last = await ScalarAsync<long?>("SELECT MAX(delivered_at) FROM outbox WHERE state = 1",
            v => Convert.ToInt64(v, CultureInfo.InvariantCulture), null, cancellationToken);
        return last is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Ids of every rating the server has confirmed, for comparing this kiosk's record with the server's.</summary>
    public Task<IReadOnlyList<Guid>> GetDeliveredIdsAsync(CancellationToken cancellationToken = default) =>
        UnderGateAsync<IReadOnlyList<Guid>>(async () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT rating_id FROM outbox WHERE state = 1 ORDER BY seq";
            var ids = new List<Guid>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(Guid.Parse(reader.GetString(0)));
            }
            return ids;
        }, cancellationToken);

    /// <summary>The most recently rejected ratings, newest first. Holds no contact data.</summary>
    public Task<IReadOnlyList<RejectedRating>> GetRecentRejectedAsync(
        int max = 20, CancellationToken cancellationToken = default) =>
        UnderGateAsync<IReadOnlyList<RejectedRating>>(async () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT rating_id, rejected_at, rejected_field, rejected_reason FROM outbox
                WHERE state = 2 ORDER BY rejected_at DESC, seq DESC LIMIT $max
                """;
            command.Parameters.AddWithValue("$max", Math.Max(1, max));
            var rejected = new List<RejectedRating>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rejected.Add(new RejectedRating(
                    Guid.Parse(reader.GetString(0)),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    reader.GetString(2),
                    reader.GetString(3)));
            }
            return rejected;
        }, cancellationToken);

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
        _enqueued.Dispose();
        _disclosureEnqueued.Dispose();
    }

    private void SignalEnqueued()
    {
        // A pulse, not a counter: one pending wake-up is enough for the sender to pick up everything queued.
        try
        {
            _enqueued.Release();
        }
        catch (SemaphoreFullException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private Task<bool> UpdateHeldAsync(KioskRating rating, long heldUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rating);
        return UnderGateAsync(async () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                UPDATE outbox SET payload = $payload, callback_phone = $phone, held_until = $held
                WHERE rating_id = $id AND state = 0 AND held_until > $now
                """;
            AddRating(command, rating);
            command.Parameters.AddWithValue("$held", heldUntil);
            command.Parameters.AddWithValue("$now", Now());
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);
    }

    private static void AddRating(SqliteCommand command, KioskRating rating)
    {
        command.Parameters.AddWithValue("$id", rating.Id.ToString());
        command.Parameters.AddWithValue("$payload", JsonSerializer.Serialize(rating with { CallbackPhone = null }, Json));
        command.Parameters.AddWithValue("$phone", (object?)rating.CallbackPhone ?? DBNull.Value);
    }

    private bool ColumnExists(string table, string column)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = $column";
        command.Parameters.AddWithValue("$column", column);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    private long Now() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private Task<T> ScalarAsync<T>(string sql, Func<object, T> convert, T whenNull, CancellationToken cancellationToken) =>
        UnderGateAsync(async () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value is null or DBNull ? whenNull : convert(value);
        }, cancellationToken);

    private async Task<T> UnderGateAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>A rating the server refused for good, with the field at fault and its reason.</summary>
public sealed record RejectedRating(Guid RatingId, DateTimeOffset RejectedAt, string Field, string Reason);

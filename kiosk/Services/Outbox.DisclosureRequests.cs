using System.Globalization;
using System.Text.Json;
using ServiceHall.Kiosk.Disclosure;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// The outbox's second kind of item: 依申请公开 requests, with the same guarantees as ratings (committed with fsync before
/// the receipt is shown, kept until the server has answered, sent again until it does; the server stores a request once
/// whatever the resends, by its id). The applicant's identity and contact are kept in their own column, as the rater's
/// callback phone is, and erased as soon as the server has answered for the request; the row keeps the server's receipt.
/// </summary>
public sealed partial class Outbox
{
    private const int DisclosureRequestsPerLook = 20;

    private readonly SemaphoreSlim _disclosureEnqueued = new(0, 1);

    /// <summary>Writes the request and commits (fsync) before returning; only then may the screen show the receipt. Twice the same id keeps the first.</summary>
    public async Task EnqueueDisclosureRequestAsync(KioskDisclosureRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Applicant);
        await UnderGateAsync(async () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO disclosure_requests (request_id, payload, applicant, enqueued_at, state)
                VALUES ($id, $payload, $applicant, $now, 0)
                ON CONFLICT (request_id) DO NOTHING
                """;
            command.Parameters.AddWithValue("$id", request.Id.ToString());
            command.Parameters.AddWithValue("$payload", JsonSerializer.Serialize(request with { Applicant = null }, Json));
            command.Parameters.AddWithValue("$applicant", JsonSerializer.Serialize(request.Applicant, Json));
            command.Parameters.AddWithValue("$now", Now());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        try
        {
            _disclosureEnqueued.Release();
        }
        catch (SemaphoreFullException)
        {
            // One pending wake-up is enough.
        }
    }

    /// <summary>Waits until a request is enqueued (a pulse: one wake-up for everything queued meanwhile).</summary>
    public Task WaitForDisclosureRequestAsync(CancellationToken cancellationToken) => _disclosureEnqueued.WaitAsync(cancellationToken);

    /// <summary>The requests still to be delivered, oldest first, each with its applicant.</summary>
    public Task<IReadOnlyList<KioskDisclosureRequest>> GetPendingDisclosureRequestsAsync(CancellationToken cancellationToken = default) =>
        UnderGateAsync<IReadOnlyList<KioskDisclosureRequest>>(async () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT payload, applicant FROM disclosure_requests WHERE state = 0 ORDER BY seq LIMIT $max";
            command.Parameters.AddWithValue("$max", DisclosureRequestsPerLook);
            var pending = new List<KioskDisclosureRequest>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var request = JsonSerializer.Deserialize<KioskDisclosureRequest>(reader.GetString(0), Json)
                    ?? throw new InvalidDataException("an outbox row holds no disclosure request");
                pending.Add(request with { Applicant = JsonSerializer.Deserialize<DisclosureApplicant>(reader.GetString(1), Json) });
            }
            return pending;
        }, cancellationToken);

    /// <summary>The server has the request: its receipt is kept, the applicant's details are erased.</summary>
    public Task RecordDisclosureRequestAcceptedAsync(Guid id, DisclosureReceipt receipt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return DisclosureUpdateAsync("""
            UPDATE disclosure_requests SET state = 1, answered_at = $now, applicant = NULL, attempts = attempts + 1,
                request_number = $number, received_day = $received, reply_due_day = $due
            WHERE request_id = $id AND state = 0
            """, id, command =>
        {
            command.Parameters.AddWithValue("$number", receipt.RequestNumber);
            command.Parameters.AddWithValue("$received", receipt.ReceivedDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$due", receipt.ReplyDueDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }, cancellationToken);
    }

    /// <summary>The server refused the request for good (a field at fault): kept as refused, the applicant's details erased.</summary>
    public Task RecordDisclosureRequestRefusedAsync(Guid id, string field, string reason, CancellationToken cancellationToken = default) =>
        DisclosureUpdateAsync("""
            UPDATE disclosure_requests SET state = 2, answered_at = $now, applicant = NULL, attempts = attempts + 1,
                rejected_field = $field, rejected_reason = $reason
            WHERE request_id = $id AND state = 0
            """, id, command =>
        {
            command.Parameters.AddWithValue("$field", field);
            command.Parameters.AddWithValue("$reason", reason);
        }, cancellationToken);

    /// <summary>Counts a failed attempt; the request stays pending.</summary>
    public Task RecordDisclosureRequestAttemptAsync(Guid id, CancellationToken cancellationToken = default) =>
        DisclosureUpdateAsync("UPDATE disclosure_requests SET attempts = attempts + 1 WHERE request_id = $id", id, static _ => { },
            cancellationToken);

    /// <summary>Where the request stands, for the receipt on screen; null for an id the outbox does not hold.</summary>
    public Task<DisclosureRequestStanding?> GetDisclosureRequestStandingAsync(Guid id, CancellationToken cancellationToken = default) =>
        UnderGateAsync(async () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT state, request_number, received_day, reply_due_day, rejected_field, rejected_reason
                FROM disclosure_requests WHERE request_id = $id
                """;
            command.Parameters.AddWithValue("$id", id.ToString());
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return (DisclosureRequestStanding?)null;
            }
            return reader.GetInt32(0) switch
            {
                Pending => new DisclosureRequestStanding(DisclosureDelivery.Pending, null, null),
                Delivered => new DisclosureRequestStanding(DisclosureDelivery.Accepted, new DisclosureReceipt(
                    reader.GetString(1), Day(reader.GetString(2)), Day(reader.GetString(3))), null),
                Rejected => new DisclosureRequestStanding(DisclosureDelivery.Refused, null,
                    new DisclosureRefusal(reader.GetString(4), reader.GetString(5))),
                var other => throw new InvalidDataException($"an outbox row has the unknown state {other}"),
            };
        }, cancellationToken);

    /// <summary>How many requests wait to be delivered.</summary>
    public Task<int> GetPendingDisclosureRequestCountAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync("SELECT COUNT(*) FROM disclosure_requests WHERE state = 0", v => Convert.ToInt32(v, CultureInfo.InvariantCulture), 0,
            cancellationToken);

    private void CreateDisclosureRequestTable() => Execute("""
        CREATE TABLE IF NOT EXISTS disclosure_requests (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            request_id      TEXT    NOT NULL UNIQUE,
            payload         TEXT    NOT NULL,
            applicant       TEXT    NULL,
            enqueued_at     INTEGER NOT NULL,
            state           INTEGER NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            answered_at     INTEGER NULL,
            request_number  TEXT    NULL,
            received_day    TEXT    NULL,
            reply_due_day   TEXT    NULL,
            rejected_field  TEXT    NULL,
            rejected_reason TEXT    NULL
        );
        CREATE INDEX IF NOT EXISTS ix_disclosure_requests_state ON disclosure_requests (state, seq);
        """);

    private static DateOnly Day(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private Task DisclosureUpdateAsync(string sql, Guid id, Action<Microsoft.Data.Sqlite.SqliteCommand> bind, CancellationToken cancellationToken) =>
        UnderGateAsync(async () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$id", id.ToString());
            command.Parameters.AddWithValue("$now", Now());
            bind(command);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}

/// <summary>The server's receipt: the request number, the day of receipt and the legal reply day.</summary>
public sealed record DisclosureReceipt(string RequestNumber, DateOnly ReceivedDay, DateOnly ReplyDueDay);

/// <summary>Why the server refused a request: the contract's field and the reason in words.</summary>
public sealed record DisclosureRefusal(string Field, string Reason);

public enum DisclosureDelivery
{
    /// <summary>In the outbox; the server does not have it yet.</summary>
    Pending = 1,
    Accepted = 2,
    Refused = 3,
}

/// <summary>Where a request stands in the outbox: the receipt once accepted, the refusal once refused.</summary>
public sealed record DisclosureRequestStanding(DisclosureDelivery Delivery, DisclosureReceipt? Receipt, DisclosureRefusal? Refusal);

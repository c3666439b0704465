using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Relay;

namespace ServiceHall.Server.Storage;

/// <summary>An item waiting for the province, as the sender sends it.</summary>
public sealed record PendingUpload(string Key, string Document);

/// <summary>
/// The provincial upload queue (an outbox, docs/provincial-relay.md#queue). The stores that write ratings, 未评价 and case steps
/// add their items here in the same transaction (<see cref="AddAsync"/>), so an item is queued if and only if what it reports
/// is stored; the sender reads and marks them. Delivered items stay, so a backfill can send them again.
/// </summary>
public sealed class ProvincialUploadQueue(StoreDatabase database, IOptions<ProvincialRelayOptions> options, TimeProvider time)
{
    private const string InsertHead =
        "INSERT INTO provincial_uploads (upload_key, kind, stream, stream_sequence, period_at_ms, queued_at_ms, document) VALUES";

    /// <summary>Whether items are queued at all: only with an endpoint (a backfill queues what came before).</summary>
    public bool IsEnabled => options.Value.IsEnabled;

    /// <summary>Queues items inside the caller's transaction; an item queued before (same key) is left as it is.</summary>
    internal async Task AddAsync(DbConnection connection, DbTransaction transaction, IEnumerable<ProvincialUpload> uploads)
    {
        if (!IsEnabled)
        {
            return;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = uploads.Select(u => new object?[]
        {
            u.Key, Code(u.Kind), u.Stream, (long)u.StreamSequence, u.PeriodAt.ToUnixTimeMilliseconds(), now, u.Document,
        }).ToList();
        await MultiRowStatement.RunAsync(connection, transaction, InsertHead, "ON CONFLICT (upload_key) DO NOTHING", rows, database.RowsPerStatement);
    }

    /// <summary>
    /// The oldest items waiting, at most one per stream at a time: an item whose stream has an earlier item still waiting
    /// waits for it, so a case's steps reach the province in order, after its rating.
    /// </summary>
    public async Task<IReadOnlyList<PendingUpload>> ListPendingAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Key, string Document)>(new CommandDefinition(
            """
            SELECT u.upload_key, u.document FROM provincial_uploads u
            WHERE u.delivered_at_ms IS NULL AND u.refused = 0
              AND NOT EXISTS (
                SELECT 1 FROM provincial_uploads p
                WHERE p.stream = u.stream AND p.stream_sequence < u.stream_sequence AND p.delivered_at_ms IS NULL AND p.refused = 0)
            ORDER BY u.queued_at_ms, u.stream, u.stream_sequence
            LIMIT @Limit
            """,
            new { Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new PendingUpload(r.Key, r.Document)).ToList();
    }

    /// <summary>
    /// Records the province's answer to a batch: <paramref name="delivered"/> (taken now or before) leave the queue; each of
    /// <paramref name="refused"/> stays out of it with the province's reason, until a backfill sends it again.
    /// </summary>
    public Task RecordAnswerAsync(
        IReadOnlyCollection<string> delivered, IReadOnlyCollection<(string Key, string Reason)> refused, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var at = time.GetUtcNow().ToUnixTimeMilliseconds();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var key in delivered)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE provincial_uploads SET delivered_at_ms = @At, attempts = attempts + 1, last_error = NULL WHERE upload_key = @Key",
                    new { At = at, Key = key }, transaction, cancellationToken: cancellationToken));
            }

            foreach (var (key, reason) in refused)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE provincial_uploads SET refused = 1, attempts = attempts + 1, last_error = @Reason WHERE upload_key = @Key",
                    new { Reason = reason, Key = key }, transaction, cancellationToken: cancellationToken));
            }

            if (refused.Count > 0)
            {
                await CountErrorAsync(connection, transaction, RelayFailureKinds.ItemsRefused, refused.First().Reason, refused.Count, at, cancellationToken);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE provincial_relay_state SET last_success_at_ms = @At, last_attempt_at_ms = @At WHERE id = 1",
                new { At = at }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Records a request that failed as a whole (nothing marked: every item is sent again).</summary>
    public Task RecordFailureAsync(IReadOnlyCollection<string> keys, string kind, string message, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var at = time.GetUtcNow().ToUnixTimeMilliseconds();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var key in keys)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE provincial_uploads SET attempts = attempts + 1, last_error = @Kind WHERE upload_key = @Key",
                    new { Kind = kind, Key = key }, transaction, cancellationToken: cancellationToken));
            }

            await CountErrorAsync(connection, transaction, kind, message, 1, at, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE provincial_relay_state SET last_attempt_at_ms = @At WHERE id = 1", new { At = at }, transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    private static Task CountErrorAsync(
        DbConnection connection, DbTransaction transaction, string kind, string message, long count, long at, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO provincial_relay_errors (kind, count, last_at_ms, last_message) VALUES (@Kind, @Count, @At, @Message)
            ON CONFLICT (kind) DO UPDATE SET count = provincial_relay_errors.count + @Count, last_at_ms = @At, last_message = @Message
            """,
            new { Kind = kind, Count = count, At = at, Message = message.Length > 500 ? message[..500] : message }, transaction,
            cancellationToken: cancellationToken));

    public async Task<ProvincialRelayStatus> ReadStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var counts = await connection.QuerySingleAsync<(long? Pending, long? OldestMs, long? Delivered, long? Refused)>(new CommandDefinition(
            """
            SELECT SUM(CASE WHEN delivered_at_ms IS NULL AND refused = 0 THEN 1 ELSE 0 END),
                MIN(CASE WHEN delivered_at_ms IS NULL AND refused = 0 THEN queued_at_ms END),
                SUM(CASE WHEN delivered_at_ms IS NOT NULL THEN 1 ELSE 0 END),
                SUM(refused)
            FROM provincial_uploads
            """, cancellationToken: cancellationToken));
        var lastSuccess = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT last_success_at_ms FROM provincial_relay_state WHERE id = 1", cancellationToken: cancellationToken));
        var errors = await connection.QueryAsync<(string Kind, long Count, long LastAtMs, string LastMessage)>(new CommandDefinition(
            "SELECT kind, count, last_at_ms, last_message FROM provincial_relay_errors ORDER BY kind", cancellationToken: cancellationToken));
        return new ProvincialRelayStatus(
            IsEnabled, counts.Pending ?? 0, counts.OldestMs is { } o ? DateTimeOffset.FromUnixTimeMilliseconds(o) : null,
            lastSuccess is { } s ? DateTimeOffset.FromUnixTimeMilliseconds(s) : null, counts.Delivered ?? 0, counts.Refused ?? 0,
            errors.Select(e => new RelayErrorCount(e.Kind, e.Count, DateTimeOffset.FromUnixTimeMilliseconds(e.LastAtMs), e.LastMessage)).ToList());
    }

    /// <summary>
    /// Sends a period again (after the province lost data): every item of ratings made, and transactions finished, in [from, to)
    /// waits again, whether delivered, refused or never queued (stored before the relay was switched on). The province
    /// recognises what it holds by the item's key, so nothing it has is counted twice. Answers how many items wait again.
    /// </summary>
    public Task<int> BackfillAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            if (!IsEnabled)
            {
                throw new NotNowException("未配置省级平台上报地址（ProvincialRelay:Endpoint），无法补传");
            }

            var range = new { FromMs = from.ToUnixTimeMilliseconds(), ToMs = to.ToUnixTimeMilliseconds() };
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var uploads = new List<ProvincialUpload>();
            var ratings = await connection.QueryAsync<RatingRow>(new CommandDefinition(
                """
                SELECT id AS Id, transaction_number AS TransactionNumber, hall_code AS HallCode, region_code AS RegionCode,
                    window_code AS WindowCode, service_item_code AS ServiceItemCode, department_code AS DepartmentCode, staff_id AS StaffId,
                    channel AS Channel, level AS Level, reason_tag_codes AS ReasonTagCodes, reason_tag_list_version AS ReasonTagListVersion,
                    text AS Text, rated_at_ms AS RatedAtMs, received_at_ms AS ReceivedAtMs, active AS Active, real_name AS RealName
                FROM ratings WHERE rated_at_ms >= @FromMs AND rated_at_ms < @ToMs
                """, range, transaction, cancellationToken: cancellationToken));
            uploads.AddRange(ratings.Select(r => r.ToRating()).Where(ProvincialUploads.IsUploaded).Select(ProvincialUploads.OfRating));
            var cases = await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT snapshot FROM cases WHERE rated_at_ms >= @FromMs AND rated_at_ms < @ToMs", range, transaction,
                cancellationToken: cancellationToken));
            uploads.AddRange(cases.Select(CaseRows.Restore).SelectMany(c => ProvincialUploads.OfCaseSteps(c, 0)));
            var notRated = await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT transaction_number FROM transactions WHERE status = @NotRated AND completed_at_ms >= @FromMs AND completed_at_ms < @ToMs",
                new { range.FromMs, range.ToMs, NotRated = (int)TransactionStatus.NotRated }, transaction, cancellationToken: cancellationToken));
            foreach (var number in notRated)
            {
                uploads.Add(ProvincialUploads.OfNotRated(await TransactionStore.FindAsync(connection, transaction, number, cancellationToken)
                    ?? throw new InvalidOperationException($"transaction {number} vanished")));
            }

            await AddAsync(connection, transaction, uploads);
            var again = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE provincial_uploads SET delivered_at_ms = NULL, refused = 0, last_error = NULL
                WHERE period_at_ms >= @FromMs AND period_at_ms < @ToMs
                """, range, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return again;
        }, cancellationToken);

    private static long Code(UploadKind kind) => kind switch
    {
        UploadKind.Rating => 1,
        UploadKind.NotRated => 2,
        UploadKind.CaseStep => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private sealed record RatingRow(
        string Id, string? TransactionNumber, string HallCode, string RegionCode, string? WindowCode, string? ServiceItemCode,
        string DepartmentCode, string? StaffId, long Channel, long Level, string ReasonTagCodes, string? ReasonTagListVersion, string? Text,
        long RatedAtMs, long ReceivedAtMs, long Active, long RealName)
    {
        // The rater's number is not read: the document says only whether there is one (an empty one stands for it).
        public Rating ToRating() => new(
            Guid.Parse(Id), TransactionNumber, HallCode, RegionCode, WindowCode, ServiceItemCode, DepartmentCode, StaffId,
            (RatingChannel)Channel, RatingLevels.FromGbt39046Code((int)Level), ReasonTagCodes.Length == 0 ? [] : ReasonTagCodes.Split(','),
            ReasonTagListVersion, Text, DateTimeOffset.FromUnixTimeMilliseconds(RatedAtMs), DateTimeOffset.FromUnixTimeMilliseconds(ReceivedAtMs),
            RealName == 1 ? "" : null, DeviceId: null)
        {
            IsActive = Active == 1,
        };
    }
}

using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>A stored rating the fraud scan has not looked at yet, with its protected callback number if any.</summary>
public sealed record RatingToScan(RatingUnderScan Rating, string? Text, string? PhoneProtected, DateTimeOffset ReceivedAt);

/// <summary>A flagged rating waiting for a person's decision, as the review queue shows it (never the rater's number).</summary>
public sealed record FlaggedRating(
    Guid RatingId, string HallCode, string? WindowCode, string DepartmentCode, string? StaffId, RatingLevel Level, string? Text,
    string? DeviceId, bool HasTransaction, DateTimeOffset RatedAt, IReadOnlyList<FlagRecord> Flags);

public sealed record FlagRecord(FraudPattern Pattern, string Detail, DateTimeOffset FlaggedAt);

/// <summary>A person's decision on a flagged rating: kept (it counts) or excluded, with the reason. One per rating.</summary>
public sealed record RatingReview(
    Guid RatingId, bool Excluded, ExclusionReason? Reason, string Note, string ReviewerId, StaffRole ReviewerRole, DateTimeOffset At);

/// <summary>
/// The anti-fraud scan's state and findings, and the reviewers' decisions (docs/rules/ratings.md#anti-fraud). The scan keeps
/// its own keyed hashes of texts and callback numbers beside the ratings, so the intake's write path is unchanged.
/// </summary>
public interface IRatingReviewStore
{
    /// <summary>Where the scan stopped (received time and id of the last rating scanned) and the protected phone-key secret ("" until made).</summary>
    Task<(long AfterReceivedMs, string AfterId, string SecretProtected)> ReadScanStateAsync(CancellationToken cancellationToken);

    /// <summary>Stores the protected secret unless one is stored already; answers the one stored.</summary>
    Task<string> KeepSecretAsync(string secretProtected, CancellationToken cancellationToken);

    /// <summary>Ratings received after the cursor and no later than <paramref name="upTo"/>, in received order.</summary>
    Task<IReadOnlyList<RatingToScan>> ListToScanAsync(long afterReceivedMs, string afterId, DateTimeOffset upTo, int limit, CancellationToken cancellationToken);

    /// <summary>Records the text and phone keys of scanned ratings (again is a no-op).</summary>
    Task AddKeysAsync(IReadOnlyList<RatingUnderScan> ratings, CancellationToken cancellationToken);

    /// <summary>What the detectors need to know of a rating's neighbours, each count including the rating.</summary>
    Task<RatingNeighbours> CountNeighboursAsync(RatingUnderScan rating, FraudThresholds thresholds, bool windowHasPad, CancellationToken cancellationToken);

    /// <summary>Stores the flags found (a flag found again is a no-op) and moves the cursor, in one transaction.</summary>
    Task AddFlagsAsync(
        IReadOnlyList<(Guid RatingId, FraudFlag Flag)> flags, DateTimeOffset at, long afterReceivedMs, string afterId, CancellationToken cancellationToken);

    /// <summary>Flagged ratings no one decided on yet, oldest flag first; of one hall, or all when <paramref name="hallCode"/> is null.</summary>
    Task<IReadOnlyList<FlaggedRating>> ListUndecidedAsync(string? hallCode, int limit, CancellationToken cancellationToken);

    Task<FlaggedRating?> FindFlaggedAsync(Guid ratingId, CancellationToken cancellationToken);

    /// <summary>Records the decision; false if the rating was decided on before (the first decision stands).</summary>
    Task<bool> DecideAsync(RatingReview review, CancellationToken cancellationToken);

    /// <summary>The ratings made in [from, to) within a scope that a reviewer excluded: they leave every figure.</summary>
    Task<IReadOnlyList<RatingRecord>> ListExcludedRatingsAsync(DateTimeOffset from, DateTimeOffset to, Scope scope, CancellationToken cancellationToken);

    /// <summary>The ratings made in [from, to) that a reviewer excluded, counted by reason.</summary>
    Task<IReadOnlyList<(ExclusionReason Reason, int Count)>> CountExclusionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

public sealed class RatingReviewStore(StoreDatabase database) : IRatingReviewStore
{
    public async Task<(long AfterReceivedMs, string AfterId, string SecretProtected)> ReadScanStateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<(long, string, string)>(new CommandDefinition(
            "SELECT after_received_ms, after_id, secret_protected FROM fraud_scan WHERE id = 1", cancellationToken: cancellationToken));
    }

    public Task<string> KeepSecretAsync(string secretProtected, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE fraud_scan SET secret_protected = @Secret WHERE id = 1 AND secret_protected = ''",
                new { Secret = secretProtected }, cancellationToken: cancellationToken));
            return await connection.QuerySingleAsync<string>(new CommandDefinition(
                "SELECT secret_protected FROM fraud_scan WHERE id = 1", cancellationToken: cancellationToken));
        }, cancellationToken);

    public async Task<IReadOnlyList<RatingToScan>> ListToScanAsync(
        long afterReceivedMs, string afterId, DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ScanRow>(new CommandDefinition(
            """
            SELECT r.id AS Id, r.hall_code AS HallCode, r.window_code AS WindowCode, r.staff_id AS StaffId, r.level AS Level,
                r.transaction_number AS TransactionNumber, r.device_id AS DeviceId, r.rated_at_ms AS RatedAtMs,
                r.received_at_ms AS ReceivedAtMs, r.text AS Text, c.phone_protected AS PhoneProtected
            FROM ratings r LEFT JOIN rater_contacts c ON c.rating_id = r.id
            WHERE (r.received_at_ms > @AfterMs OR (r.received_at_ms = @AfterMs AND r.id > @AfterId)) AND r.received_at_ms <= @UpToMs
            ORDER BY r.received_at_ms, r.id
            LIMIT @Limit
            """,
            new { AfterMs = afterReceivedMs, AfterId = afterId, UpToMs = upTo.ToUnixTimeMilliseconds(), Limit = limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => new RatingToScan(
            new RatingUnderScan(
                Guid.Parse(r.Id), r.HallCode, r.WindowCode, r.StaffId, RatingLevels.FromGbt39046Code((int)r.Level), r.TransactionNumber,
                r.DeviceId, DateTimeOffset.FromUnixTimeMilliseconds(r.RatedAtMs), null, null),
            r.Text, r.PhoneProtected, DateTimeOffset.FromUnixTimeMilliseconds(r.ReceivedAtMs))).ToList();
    }

    public Task AddKeysAsync(IReadOnlyList<RatingUnderScan> ratings, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var texts = ratings.Where(r => r.TextKey is not null)
                .Select(r => new { Id = r.RatingId.ToString(), Key = r.TextKey, AtMs = r.RatedAt.ToUnixTimeMilliseconds() }).ToList();
            var phones = ratings.Where(r => r.PhoneKey is not null)
                .Select(r => new { Id = r.RatingId.ToString(), Key = r.PhoneKey, AtMs = r.RatedAt.ToUnixTimeMilliseconds() }).ToList();
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO rating_text_keys (rating_id, text_key, rated_at_ms) VALUES (@Id, @Key, @AtMs) ON CONFLICT (rating_id) DO NOTHING",
                texts, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO rating_phone_keys (rating_id, phone_key, rated_at_ms) VALUES (@Id, @Key, @AtMs) ON CONFLICT (rating_id) DO NOTHING",
                phones, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    public async Task<RatingNeighbours> CountNeighboursAsync(
        RatingUnderScan rating, FraudThresholds thresholds, bool windowHasPad, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var at = rating.RatedAt.ToUnixTimeMilliseconds();
        const long DayMs = 86_400_000;
        // Each count is one range of one index: (device_id, rated_at_ms), (phone_key, rated_at_ms), (text_key, rated_at_ms),
        // and the 差评-only (staff_id, rated_at_ms).
        async Task<int> CountAsync(string sql, object parameters) =>
            (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        var device = rating.DeviceId is null ? 0 : await CountAsync(
            "SELECT COUNT(*) FROM ratings WHERE device_id = @Key AND rated_at_ms > @FromMs AND rated_at_ms <= @AtMs",
            new { Key = rating.DeviceId, FromMs = at - (thresholds.BurstSeconds * 1000L), AtMs = at });
        var phone = rating.PhoneKey is null ? 0 : await CountAsync(
            "SELECT COUNT(*) FROM rating_phone_keys WHERE phone_key = @Key AND rated_at_ms > @FromMs AND rated_at_ms <= @AtMs",
            new { Key = rating.PhoneKey, FromMs = at - (thresholds.PhoneDays * DayMs), AtMs = at });
        var text = rating.TextKey is null ? 0 : await CountAsync(
            "SELECT COUNT(*) FROM rating_text_keys WHERE text_key = @Key AND rated_at_ms > @FromMs AND rated_at_ms <= @AtMs",
            new { Key = rating.TextKey, FromMs = at - (thresholds.TextDays * DayMs), AtMs = at });
        var staff = rating.StaffId is null || !rating.Level.IsBad() ? 0 : await CountAsync(
            "SELECT COUNT(*) FROM ratings WHERE staff_id = @Key AND level >= 4 AND rated_at_ms > @FromMs AND rated_at_ms <= @AtMs",
            new { Key = rating.StaffId, FromMs = at - (thresholds.StaffDays * DayMs), AtMs = at });
        return new RatingNeighbours(device, phone, text, staff, windowHasPad);
    }

    public Task AddFlagsAsync(
        IReadOnlyList<(Guid RatingId, FraudFlag Flag)> flags, DateTimeOffset at, long afterReceivedMs, string afterId, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO rating_flags (rating_id, pattern, detail, flagged_at_ms) VALUES (@Id, @Pattern, @Detail, @AtMs)
                ON CONFLICT (rating_id, pattern) DO NOTHING
                """,
                flags.Select(f => new { Id = f.RatingId.ToString(), Pattern = (long)f.Flag.Pattern, f.Flag.Detail, AtMs = at.ToUnixTimeMilliseconds() }).ToList(),
                transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE fraud_scan SET after_received_ms = @AfterMs, after_id = @AfterId WHERE id = 1",
                new { AfterMs = afterReceivedMs, AfterId = afterId }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    private const string FlaggedColumns =
        """
        SELECT r.id AS Id, r.hall_code AS HallCode, r.window_code AS WindowCode, r.department_code AS DepartmentCode,
            r.staff_id AS StaffId, r.level AS Level, r.text AS Text, r.device_id AS DeviceId, r.transaction_number AS TransactionNumber,
            r.rated_at_ms AS RatedAtMs, f.pattern AS Pattern, f.detail AS Detail, f.flagged_at_ms AS FlaggedAtMs
        FROM rating_flags f JOIN ratings r ON r.id = f.rating_id
        """;

    public async Task<IReadOnlyList<FlaggedRating>> ListUndecidedAsync(string? hallCode, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FlagRow>(new CommandDefinition(
            $"""
            {FlaggedColumns}
            WHERE f.rating_id IN (
                SELECT f2.rating_id FROM rating_flags f2 JOIN ratings r2 ON r2.id = f2.rating_id
                WHERE NOT EXISTS (SELECT 1 FROM rating_reviews v WHERE v.rating_id = f2.rating_id)
                    {(hallCode is null ? "" : "AND r2.hall_code = @HallCode")}
                GROUP BY f2.rating_id
                ORDER BY MIN(f2.flagged_at_ms), f2.rating_id
                LIMIT @Limit)
            ORDER BY f.flagged_at_ms, f.rating_id, f.pattern
            """,
            new { HallCode = hallCode, Limit = limit }, cancellationToken: cancellationToken));
        return Group(rows);
    }

    public async Task<FlaggedRating?> FindFlaggedAsync(Guid ratingId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FlagRow>(new CommandDefinition(
            FlaggedColumns + " WHERE f.rating_id = @Id ORDER BY f.pattern", new { Id = ratingId.ToString() }, cancellationToken: cancellationToken));
        return Group(rows).SingleOrDefault();
    }

    public Task<bool> DecideAsync(RatingReview review, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection => await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO rating_reviews (rating_id, excluded, reason, note, reviewer_id, reviewer_role, reviewed_at_ms)
            VALUES (@Id, @Excluded, @Reason, @Note, @ReviewerId, @ReviewerRole, @AtMs)
            ON CONFLICT (rating_id) DO NOTHING
            """,
            new
            {
                Id = review.RatingId.ToString(), Excluded = review.Excluded ? 1L : 0L, Reason = (long?)review.Reason, review.Note,
                review.ReviewerId, ReviewerRole = (long)review.ReviewerRole, AtMs = review.At.ToUnixTimeMilliseconds(),
            },
            cancellationToken: cancellationToken)) == 1, cancellationToken);

    public async Task<IReadOnlyList<RatingRecord>> ListExcludedRatingsAsync(
        DateTimeOffset from, DateTimeOffset to, Scope scope, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ExcludedRow>(new CommandDefinition(
            $"""
            SELECT r.id AS Id, r.hall_code AS HallCode, r.window_code AS WindowCode, r.service_item_code AS ServiceItemCode,
                r.department_code AS DepartmentCode, r.level AS Level, r.channel AS Channel, r.reason_tag_codes AS ReasonTagCodes,
                r.text AS Text, r.rated_at_ms AS RatedAtMs, r.active AS Active
            FROM rating_reviews v JOIN ratings r ON r.id = v.rating_id
            WHERE v.excluded = 1 AND r.rated_at_ms >= @FromMs AND r.rated_at_ms < @ToMs{StoreScope.OfRatings(scope, "r")}
            """,
            new { FromMs = from.ToUnixTimeMilliseconds(), ToMs = to.ToUnixTimeMilliseconds(), scope.Code, scope.HallCode },
            cancellationToken: cancellationToken));
        return rows.Select(r => new RatingRecord(
            Guid.Parse(r.Id), r.HallCode, r.WindowCode, r.ServiceItemCode, r.DepartmentCode, RatingLevels.FromGbt39046Code((int)r.Level),
            (RatingChannel)r.Channel, r.ReasonTagCodes.Length == 0 ? [] : r.ReasonTagCodes.Split(','), r.Text,
            DateTimeOffset.FromUnixTimeMilliseconds(r.RatedAtMs), r.Active == 1)).ToList();
    }

    public async Task<IReadOnlyList<(ExclusionReason Reason, int Count)>> CountExclusionsAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Reason, long Count)>(new CommandDefinition(
            """
            SELECT v.reason, COUNT(*) FROM rating_reviews v JOIN ratings r ON r.id = v.rating_id
            WHERE v.excluded = 1 AND r.rated_at_ms >= @FromMs AND r.rated_at_ms < @ToMs
            GROUP BY v.reason ORDER BY v.reason
            """,
            new { FromMs = from.ToUnixTimeMilliseconds(), ToMs = to.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return rows.Select(r => ((ExclusionReason)r.Reason, (int)r.Count)).ToList();
    }

    private static List<FlaggedRating> Group(IEnumerable<FlagRow> rows) => rows
        .GroupBy(r => r.Id)
        .Select(g =>
        {
            var r = g.First();
            return new FlaggedRating(
                Guid.Parse(r.Id), r.HallCode, r.WindowCode, r.DepartmentCode, r.StaffId, RatingLevels.FromGbt39046Code((int)r.Level), r.Text,
                r.DeviceId, r.TransactionNumber is not null, DateTimeOffset.FromUnixTimeMilliseconds(r.RatedAtMs),
                g.Select(f => new FlagRecord((FraudPattern)f.Pattern, f.Detail, DateTimeOffset.FromUnixTimeMilliseconds(f.FlaggedAtMs))).ToList());
        })
        .ToList();

    private sealed record ScanRow(
        string Id, string HallCode, string? WindowCode, string? StaffId, long Level, string? TransactionNumber, string? DeviceId,
        long RatedAtMs, long ReceivedAtMs, string? Text, string? PhoneProtected);

    private sealed record FlagRow(
        string Id, string HallCode, string? WindowCode, string DepartmentCode, string? StaffId, long Level, string? Text, string? DeviceId,
        string? TransactionNumber, long RatedAtMs, long Pattern, string Detail, long FlaggedAtMs);

    private sealed record ExcludedRow(
        string Id, string HallCode, string? WindowCode, string? ServiceItemCode, string DepartmentCode, long Level, long Channel,
        string ReasonTagCodes, string? Text, long RatedAtMs, long Active);
}

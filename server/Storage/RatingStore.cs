using System.Diagnostics;
using System.Data.Common;
using Dapper;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Metrics;

namespace ServiceHall.Server.Storage;

/// <summary>Ratings, what a rater left to be called back on, and the tallies kept as ratings are stored.</summary>
public interface IRatingStore
{
    /// <summary>
    /// Stores the ratings, and the cases opened for the 差评 among them, in one transaction: no 差评 is ever stored
    /// without its case, and a rating of a transaction marks it rated. For each rating, in order, whether it was stored
    /// now, was stored before under its id (nothing changes then; its case is not opened again), or rates a transaction
    /// that another rating rated first (not stored: 一次一评).
    /// </summary>
    Task<IReadOnlyList<StoreOutcome>> AddRatingsAsync(
        IReadOnlyList<Rating> ratings, IReadOnlyList<BadReviewCase> cases, CancellationToken cancellationToken);

    /// <summary>What a case's rating said: tags, text, time and channel (the rater's identity is not here).</summary>
    Task<RatingRecord?> FindRatingAsync(Guid ratingId, CancellationToken cancellationToken);

    /// <summary>The ratings of these ids that are stored, in one query (a page of the case queue).</summary>
    Task<IReadOnlyList<RatingRecord>> FindRatingsAsync(IReadOnlyCollection<Guid> ratingIds, CancellationToken cancellationToken);

    /// <summary>The rater's protected contact of a rating, or null for an anonymous one.</summary>
    Task<string?> FindProtectedContactAsync(Guid ratingId, CancellationToken cancellationToken);

    /// <summary>Every 差评 made in [from, to), oldest first.</summary>
    Task<IReadOnlyList<RatingRecord>> ListBadRatingsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// The ratings made in [from, to) within a scope whose 差评 an upheld appeal took out:
    /// what leaves that period's rating figures. The scope is the rating's, as the tallies they leave are.
    /// </summary>
    Task<IReadOnlyList<RatingRecord>> ListUpheldRatingsAsync(DateTimeOffset from, DateTimeOffset to, Scope scope, CancellationToken cancellationToken);

    /// <summary>
    /// The ratings made on the district's local days <paramref name="firstDay"/> to <paramref name="lastDay"/> within a
    /// scope, tallied by hall, department, window, service item, channel, level and 主动 (upheld appeals not taken out).
    /// Read from tallies kept as ratings are stored: the cost grows with the days and kinds, not with the ratings.
    /// </summary>
    Task<IReadOnlyList<RatingTally>> TallyRatingsAsync(DateOnly firstDay, DateOnly lastDay, Scope scope, CancellationToken cancellationToken);

    /// <summary>The district's local day of its first rating, or null before any: no disclosure period precedes it.</summary>
    Task<DateOnly?> FirstRatingDayAsync(CancellationToken cancellationToken);

    /// <summary>
    /// How many ratings made in [from, to) were received after <paramref name="receivedAfter"/>, among those marked as late
    /// arrivals: what a period received after it was published (its disclosure waits longer than the late-arrival mark).
    /// </summary>
    Task<int> CountLateRatingsReceivedAfterAsync(DateTimeOffset from, DateTimeOffset to, DateTimeOffset receivedAfter, CancellationToken cancellationToken);

    /// <summary>The id of the rating of a transaction, or null while it is not rated.</summary>
    Task<Guid?> FindRatingOfTransactionAsync(string transactionNumber, CancellationToken cancellationToken);

    /// <summary>Stores a rating's one follow-up: a follow-up id stored before is AlreadyStored; a second one of a rating is refused.</summary>
    Task<FollowUpStored> AddFollowUpAsync(FollowUp followUp, CancellationToken cancellationToken);

    /// <summary>A rating's follow-up, or null.</summary>
    Task<FollowUp?> FindFollowUpAsync(Guid ratingId, CancellationToken cancellationToken);

    /// <summary>Active ratings of a hall rated in [from, to), counted by department, level and local hour.</summary>
    Task<IReadOnlyList<RatingCountRow>> CountRatingsAsync(
        string hallCode, DateTimeOffset from, DateTimeOffset to, TimeSpan utcOffset, CancellationToken cancellationToken);
}

public enum StoreOutcome
{
    Stored,
    AlreadyStored,
    TransactionAlreadyRated,
}

/// <summary>The ratings in SQL both databases run; writes go through one <see cref="GroupCommit{TRequest, TResult}"/>.</summary>
public sealed class RatingStore : IRatingStore, IDisposable
{
    // Enough to make a commit worth its fsync, small enough that the first call in a group is not kept long.
    private const int MaxRatingsPerCommit = 5_000;

    // A rating's sequence: 1 for every rating (kept for corrections that would store a later version).
    private const long FirstSequence = 1;

    private const string InsertRatingsHead =
        """
        INSERT INTO ratings (id, transaction_number, hall_code, region_code, window_code, service_item_code,
            department_code, staff_id, channel, level, reason_tag_codes, reason_tag_list_version, text,
            rated_at_ms, received_at_ms, sequence, active, real_name, device_id, staff_not_on_roster, arrived_late)
        VALUES
        """;

    private const string RatingColumns =
        """
        SELECT r.id AS Id, r.hall_code AS HallCode, r.window_code AS WindowCode, r.service_item_code AS ServiceItemCode,
            r.department_code AS DepartmentCode, r.level AS Level, r.channel AS Channel, r.reason_tag_codes AS ReasonTagCodes,
            r.text AS Text, r.rated_at_ms AS RatedAtMs, r.active AS Active
        """;

    private readonly StoreDatabase _database;
    private readonly RatingTallies _tallies;
    private readonly ContactProtector _contacts;
    private readonly GroupCommit<RatingWrite, IReadOnlyList<StoreOutcome>> _commit;
    private readonly ProvincialUploadQueue? _uploads;

    public RatingStore(
        StoreDatabase database, RatingTallies tallies, ContactProtector contacts, ServerMetrics? metrics = null, ProvincialUploadQueue? uploads = null)
    {
        _database = database;
        _uploads = uploads;
        _tallies = tallies;
        _contacts = contacts;
        _commit = new(
            async group =>
            {
                var started = Stopwatch.GetTimestamp();
                var results = await database.WriteAsync(connection => WriteGroupAsync(connection, group), CancellationToken.None);
                metrics?.RatingsCommitted(Stopwatch.GetElapsedTime(started));
                return results;
            },
            write => write.Ratings.Count, MaxRatingsPerCommit);
    }

    private sealed record RatingWrite(IReadOnlyList<Rating> Ratings, IReadOnlyList<BadReviewCase> Cases);

    public Task<IReadOnlyList<StoreOutcome>> AddRatingsAsync(
        IReadOnlyList<Rating> ratings, IReadOnlyList<BadReviewCase> cases, CancellationToken cancellationToken) =>
        _commit.SubmitAsync(new RatingWrite(ratings, cases), cancellationToken);

    public void Dispose() => _commit.Dispose();

    /// <summary>The district's calendar day an instant falls on (the day a case number carries).</summary>
    internal DateOnly LocalDay(DateTimeOffset instant) => _tallies.LocalDay(instant);

    /// <summary>Writes the calls' ratings, their contacts and cases, and the tallies, in one transaction.</summary>
    private async Task<IReadOnlyList<StoreOutcome>[]> WriteGroupAsync(DbConnection connection, IReadOnlyList<RatingWrite> group)
    {
        var results = new IReadOnlyList<StoreOutcome>[group.Count];
        var stored = new List<RatingRecord>();
        var storedRatings = new List<Rating>();
        var contacts = new List<object?[]>();
        var openedCases = new List<BadReviewCase>();
        await using var transaction = await connection.BeginTransactionAsync();
        // A rating sent twice in one group (a retry that overtook its first try) is inserted once: the first copy counts.
        var seen = new HashSet<Guid>();
        var firstCopies = group.SelectMany(w => w.Ratings).Where(r => seen.Add(r.Id)).ToList();
        var inserted = await InsertNewRatingsAsync(connection, transaction, firstCopies);
        for (var w = 0; w < group.Count; w++)
        {
            var (ratings, cases) = group[w];
            var caseOf = cases.ToDictionary(c => c.RatingId);
            var outcomes = new StoreOutcome[ratings.Count];
            for (var i = 0; i < ratings.Count; i++)
            {
                var r = ratings[i];
                if (!inserted.Remove(r.Id))
                {
                    outcomes[i] = StoreOutcome.AlreadyStored;
                    continue;
                }

                // 一次一评: the first rating of a transaction marks it rated; a second one is taken back out.
                if (r.TransactionNumber is not null && await connection.ExecuteAsync(
                        "UPDATE transactions SET status = @Rated WHERE transaction_number = @Number AND status <> @Rated",
                        new { Rated = (int)TransactionStatus.Rated, Number = r.TransactionNumber }, transaction) == 0)
                {
                    await connection.ExecuteAsync("DELETE FROM ratings WHERE id = @Id", new { Id = r.Id.ToString() }, transaction);
                    outcomes[i] = StoreOutcome.TransactionAlreadyRated;
                    continue;
                }

                outcomes[i] = StoreOutcome.Stored;
                stored.Add(r.ToRecord());
                storedRatings.Add(r);
                if (r.CallbackPhone is not null)
                {
                    contacts.Add([r.Id.ToString(), _contacts.Protect(r.CallbackPhone)]);
                }

                if (caseOf.TryGetValue(r.Id, out var opened))
                {
                    openedCases.Add(opened);
                }
            }

            results[w] = outcomes;
        }

        var rows = _database.RowsPerStatement;
        await MultiRowStatement.RunAsync(
            connection, transaction, "INSERT INTO rater_contacts (rating_id, phone_protected) VALUES", "", contacts, rows);
        await CaseNumbering.NumberAsync(connection, transaction, openedCases, _tallies.LocalDay, CancellationToken.None);
        await MultiRowStatement.RunAsync(connection, transaction, CaseRows.InsertHead, "", openedCases.Select(CaseRows.Values).ToList(), rows);
        await CaseHandlingRollup.AddAsync(connection, transaction, openedCases.Select(c => c.Id.ToString()).ToList());
        await _tallies.AddAsync(connection, transaction, stored);
        if (_uploads is not null)
        {
            // 同源发布: what the province gets is queued with what is stored, in the same transaction (docs/provincial-relay.md#queue).
            await _uploads.AddAsync(connection, transaction, storedRatings.Where(ProvincialUploads.IsUploaded).Select(ProvincialUploads.OfRating)
                .Concat(openedCases.SelectMany(c => ProvincialUploads.OfCaseSteps(c, eventsBefore: 0))));
        }

        await transaction.CommitAsync();
        return results;
    }

    /// <summary>
    /// Inserts the ratings whose id is not stored yet and returns those ids. The unique id makes a retried rating a no-op:
    /// an id not returned was stored before.
    /// </summary>
    private async Task<HashSet<Guid>> InsertNewRatingsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Rating> ratings)
    {
        var inserted = new HashSet<Guid>();
        await MultiRowStatement.RunAsync(
            connection, transaction, InsertRatingsHead, "ON CONFLICT (id) DO NOTHING RETURNING id", ratings.Select(RatingValues).ToList(),
            _database.RowsPerStatement, reader => inserted.Add(Guid.Parse(reader.GetString(0))));
        return inserted;
    }

    private static object?[] RatingValues(Rating r) =>
    [
        r.Id.ToString(), r.TransactionNumber, r.HallCode, r.RegionCode, r.WindowCode, r.ServiceItemCode, r.DepartmentCode, r.StaffId,
        (long)r.Channel, (long)r.Level.ToGbt39046Code(), string.Join(',', r.ReasonTagCodes), r.ReasonTagListVersion, r.Text,
        r.RatedAt.ToUnixTimeMilliseconds(), r.ReceivedAt.ToUnixTimeMilliseconds(), FirstSequence, r.IsActive ? 1L : 0L, r.IsRealName ? 1L : 0L,
        r.DeviceId, r.StaffNotOnRoster ? 1L : 0L, r.ArrivedLate ? 1L : 0L,
    ];

    /// <summary>Tallies the ratings stored before the tallies existed (after the migration that added them).</summary>
    internal async Task TallyEarlierRatingsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var earlier = await connection.QueryAsync<StoredRatingRow>(new CommandDefinition(
            RatingColumns + " FROM ratings r", transaction: transaction, cancellationToken: cancellationToken));
        await _tallies.AddAsync(connection, transaction, earlier.Select(r => r.ToRecord()).ToList());
    }

    public async Task<RatingRecord?> FindRatingAsync(Guid ratingId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StoredRatingRow>(new CommandDefinition(
            RatingColumns + " FROM ratings r WHERE r.id = @Id", new { Id = ratingId.ToString() }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<RatingRecord>> FindRatingsAsync(IReadOnlyCollection<Guid> ratingIds, CancellationToken cancellationToken)
    {
        if (ratingIds.Count == 0)
        {
            return [];
        }

        // One numbered parameter per id: the same SQL on SQLite and PostgreSQL (a page of the queue is at most 200).
        var parameters = new DynamicParameters();
        var names = ratingIds.Select((id, i) =>
        {
            parameters.Add($"Id{i}", id.ToString());
            return $"@Id{i}";
        }).ToList();
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredRatingRow>(new CommandDefinition(
            RatingColumns + $" FROM ratings r WHERE r.id IN ({string.Join(", ", names)})", parameters, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<Guid?> FindRatingOfTransactionAsync(string transactionNumber, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var id = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT id FROM ratings WHERE transaction_number = @Number", new { Number = transactionNumber }, cancellationToken: cancellationToken));
        return id is null ? null : Guid.Parse(id);
    }

    public Task<FollowUpStored> AddFollowUpAsync(FollowUp followUp, CancellationToken cancellationToken) =>
        _database.WriteAsync(async connection =>
        {
            // Any conflict — this follow-up sent again, or the rating's follow-up already there — inserts nothing; which
            // it was is then read back.
            var inserted = await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO rating_follow_ups (rating_id, follow_up_id, text, written_at_ms, received_at_ms, device_id)
                VALUES (@RatingId, @Id, @Text, @WrittenAtMs, @ReceivedAtMs, @DeviceId)
                ON CONFLICT DO NOTHING
                """,
                new
                {
                    RatingId = followUp.RatingId.ToString(), Id = followUp.Id.ToString(), followUp.Text,
                    WrittenAtMs = followUp.WrittenAt.ToUnixTimeMilliseconds(), ReceivedAtMs = followUp.ReceivedAt.ToUnixTimeMilliseconds(),
                    followUp.DeviceId,
                },
                cancellationToken: cancellationToken));
            if (inserted == 1)
            {
                return FollowUpStored.Stored;
            }

            var again = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM rating_follow_ups WHERE follow_up_id = @Id", new { Id = followUp.Id.ToString() },
                cancellationToken: cancellationToken));
            return again == 1 ? FollowUpStored.AlreadyStored : FollowUpStored.RatingHasFollowUp;
        }, cancellationToken);

    public async Task<FollowUp?> FindFollowUpAsync(Guid ratingId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Id, string RatingId, string Text, long WrittenAtMs, long ReceivedAtMs, string DeviceId)>(
            new CommandDefinition(
                "SELECT follow_up_id, rating_id, text, written_at_ms, received_at_ms, device_id FROM rating_follow_ups WHERE rating_id = @Id",
                new { Id = ratingId.ToString() }, cancellationToken: cancellationToken));
        return rows.Select(r => new FollowUp(
            Guid.Parse(r.Id), Guid.Parse(r.RatingId), r.Text, DateTimeOffset.FromUnixTimeMilliseconds(r.WrittenAtMs),
            DateTimeOffset.FromUnixTimeMilliseconds(r.ReceivedAtMs), r.DeviceId)).SingleOrDefault();
    }

    public async Task<string?> FindProtectedContactAsync(Guid ratingId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT phone_protected FROM rater_contacts WHERE rating_id = @Id", new { Id = ratingId.ToString() },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<RatingRecord>> ListBadRatingsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredRatingRow>(new CommandDefinition(
            RatingColumns + " FROM ratings r WHERE r.level >= @Dissatisfied AND r.rated_at_ms >= @FromMs AND r.rated_at_ms < @ToMs ORDER BY r.rated_at_ms",
            new { Dissatisfied = RatingLevel.Dissatisfied.ToGbt39046Code(), FromMs = from.ToUnixTimeMilliseconds(), ToMs = to.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<RatingRecord>> ListUpheldRatingsAsync(
        DateTimeOffset from, DateTimeOffset to, Scope scope, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredRatingRow>(new CommandDefinition(
            $"""
            {RatingColumns}
            FROM cases c JOIN ratings r ON r.id = c.rating_id
            WHERE c.appeal_upheld = 1 AND c.rated_at_ms >= @FromMs AND c.rated_at_ms < @ToMs
                AND r.rated_at_ms >= @FromMs AND r.rated_at_ms < @ToMs{StoreScope.OfRatings(scope, "r")}
            """,
            new { FromMs = from.ToUnixTimeMilliseconds(), ToMs = to.ToUnixTimeMilliseconds(), scope.Code, scope.HallCode },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<DateOnly?> FirstRatingDayAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        // The day tallies are keyed by local day first: the smallest key is read off the index.
        var key = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(local_day) FROM rating_days", cancellationToken: cancellationToken));
        return key is { } k ? new DateOnly((int)(k / 10_000), (int)(k / 100 % 100), (int)(k % 100)) : null;
    }

    public async Task<int> CountLateRatingsReceivedAfterAsync(
        DateTimeOffset from, DateTimeOffset to, DateTimeOffset receivedAfter, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM ratings WHERE arrived_late = 1 AND rated_at_ms >= @FromMs AND rated_at_ms < @ToMs AND received_at_ms > @AfterMs",
            new { FromMs = from.ToUnixTimeMilliseconds(), ToMs = to.ToUnixTimeMilliseconds(), AfterMs = receivedAfter.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    public Task<IReadOnlyList<RatingTally>> TallyRatingsAsync(DateOnly firstDay, DateOnly lastDay, Scope scope, CancellationToken cancellationToken) =>
        _tallies.TallyAsync(firstDay, lastDay, scope, cancellationToken);

    public Task<IReadOnlyList<RatingCountRow>> CountRatingsAsync(
        string hallCode, DateTimeOffset from, DateTimeOffset to, TimeSpan utcOffset, CancellationToken cancellationToken) =>
        _tallies.CountByHourAsync(hallCode, from, to, utcOffset, cancellationToken);

    private sealed record StoredRatingRow(
        string Id, string HallCode, string? WindowCode, string? ServiceItemCode, string DepartmentCode, long Level, long Channel,
        string ReasonTagCodes, string? Text, long RatedAtMs, long Active)
    {
        public RatingRecord ToRecord() => new(
            Guid.Parse(Id), HallCode, WindowCode, ServiceItemCode, DepartmentCode, RatingLevels.FromGbt39046Code((int)Level),
            (RatingChannel)Channel, ReasonTagCodes.Length == 0 ? [] : ReasonTagCodes.Split(','), Text,
            DateTimeOffset.FromUnixTimeMilliseconds(RatedAtMs), Active == 1);
    }
}

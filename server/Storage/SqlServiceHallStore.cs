using System.Data.Common;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;

namespace ServiceHall.Server.Storage;

/// <summary>
/// The store in SQL both databases speak: every statement here runs unchanged on SQLite and PostgreSQL. The two
/// subclasses only open connections, serialise writers where the database needs it, and take locks.
/// </summary>
public abstract class SqlServiceHallStore : IServiceHallStore, IDisposable
{
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ContactProtector _contacts;
    private readonly DistrictClock _clock;

    protected SqlServiceHallStore(ContactProtector contacts, DistrictClock clock)
    {
        _contacts = contacts;
        _clock = clock;
        _ratingWriter = new Lazy<Task>(() => Task.Run(WriteRatingsAsync));
    }

    /// <summary>Opens a connection ready for use (pragmas set, pooled where the database pools).</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Holds <paramref name="name"/> exclusively until <paramref name="transaction"/> ends, across every process on this
    /// database: two servers starting together migrate once and seed the catalog once.
    /// </summary>
    protected abstract Task LockAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken);

    /// <summary>Runs a write on its own connection. SQLite overrides this to queue writers (it has one writer at a time).</summary>
    protected virtual async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await write(connection);
    }

    /// <summary>Runs at start on the connection that will migrate, before its transaction (e.g. SQLite's journal mode).</summary>
    protected virtual Task BeforeMigrationsAsync(DbConnection connection) => Task.CompletedTask;

    /// <summary>Before the migrations run: how many of them a store made before there was a migrations table holds.</summary>
    protected virtual Task<int> LegacySchemaVersionAsync(DbConnection connection, DbTransaction transaction) => Task.FromResult(0);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await WriteAsync(async connection =>
        {
            await BeforeMigrationsAsync(connection);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await LockAsync(connection, transaction, "migrations", cancellationToken);
            var applied = await StoreMigrations.ApplyAsync(
                connection, transaction, await LegacySchemaVersionAsync(connection, transaction), cancellationToken);
            if (applied.Any(m => m.Version == StoreMigrations.RatingTalliesVersion))
            {
                // Ratings stored before the tallies existed are tallied once, here.
                var earlier = await connection.QueryAsync<StoredRatingRow>(new CommandDefinition(
                    RatingColumns, transaction: transaction, cancellationToken: cancellationToken));
                await AddToTalliesAsync(connection, transaction, earlier.Select(r => r.ToRecord()).ToList());
            }

            if (applied.Any(m => m.Version == StoreMigrations.CaseFactsVersion))
            {
                var snapshots = await connection.QueryAsync<string>(new CommandDefinition(
                    "SELECT snapshot FROM cases", transaction: transaction, cancellationToken: cancellationToken));
                foreach (var c in snapshots.Select(s => BadReviewCase.Restore(Deserialize<CaseSnapshot>(s))))
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        $"UPDATE cases SET {CaseUpdates} WHERE id = @id", CaseParameters(c), transaction, cancellationToken: cancellationToken));
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
    }

    public async Task<DistrictCatalog?> LoadCatalogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var regionCode = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT region_code FROM district LIMIT 1");
        if (regionCode is null)
        {
            return null;
        }

        var departments = (await connection.QueryAsync<(string Code, string Name, string ShortName)>(
                "SELECT code, name, short_name FROM departments ORDER BY position"))
            .Select(d => new Department(d.Code, d.Name, d.ShortName));
        var windows = (await connection.QueryAsync<(string HallCode, string Definition)>(
                "SELECT hall_code, definition FROM service_windows ORDER BY position"))
            .ToLookup(w => w.HallCode, w => Deserialize<ServiceWindow>(w.Definition));
        var halls = (await connection.QueryAsync<(string Code, string Name, string Address, string OpeningHours, string SupervisionPhone)>(
                "SELECT code, name, address, opening_hours, supervision_phone FROM halls ORDER BY position"))
            .Select(h => new Hall(h.Code, h.Name, regionCode, h.Address, h.OpeningHours, h.SupervisionPhone, windows[h.Code].ToList()));
        var items = (await connection.QueryAsync<string>("SELECT definition FROM service_items ORDER BY position"))
            .Select(Deserialize<ServiceItem>);
        var tags = Deserialize<ReasonTagList>(await connection.QuerySingleAsync<string>(
            "SELECT definition FROM reason_tag_lists WHERE is_current = 1"));
        return new DistrictCatalog(regionCode, departments, halls, items, tags);
    }

    public async Task SaveCatalogAsync(DistrictCatalog catalog, CancellationToken cancellationToken)
    {
        await WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Two servers starting on an empty database both seed it: one after the other, not interleaved.
            await LockAsync(connection, transaction, "catalog", cancellationToken);
            foreach (var table in new[] { "district", "departments", "halls", "service_windows", "service_items" })
            {
                await connection.ExecuteAsync($"DELETE FROM {table}", transaction: transaction);
            }

            await connection.ExecuteAsync("UPDATE reason_tag_lists SET is_current = 0", transaction: transaction);
            await connection.ExecuteAsync(
                "INSERT INTO district (region_code) VALUES (@RegionCode)", new { catalog.RegionCode }, transaction);
            await connection.ExecuteAsync(
                "INSERT INTO departments (code, name, short_name, position) VALUES (@Code, @Name, @ShortName, @Position)",
                catalog.Departments.Select((d, i) => new { d.Code, d.Name, d.ShortName, Position = i }), transaction);
            await connection.ExecuteAsync(
                """
                INSERT INTO halls (code, name, address, opening_hours, supervision_phone, position)
                VALUES (@Code, @Name, @Address, @OpeningHours, @SupervisionPhone, @Position)
                """,
                catalog.Halls.Select((h, i) => new { h.Code, h.Name, h.Address, h.OpeningHours, h.SupervisionPhone, Position = i }),
                transaction);
            await connection.ExecuteAsync(
                """
                INSERT INTO service_windows (hall_code, code, department_code, definition, position)
                VALUES (@HallCode, @Code, @DepartmentCode, @Definition, @Position)
                """,
                catalog.Halls.SelectMany(h => h.Windows.Select(w => (Hall: h, Window: w))).Select((x, i) => new
                {
                    HallCode = x.Hall.Code, x.Window.Code, x.Window.DepartmentCode,
                    Definition = JsonSerializer.Serialize(x.Window, Json), Position = i,
                }),
                transaction);
            await connection.ExecuteAsync(
                """
                INSERT INTO service_items (code, department_code, name, definition, position)
                VALUES (@Code, @DepartmentCode, @Name, @Definition, @Position)
                """,
                catalog.ServiceItems.Select((item, i) => new
                {
                    item.Code, item.DepartmentCode, item.Name, Definition = JsonSerializer.Serialize(item, Json), Position = i,
                }),
                transaction);
            await connection.ExecuteAsync(
                """
                INSERT INTO reason_tag_lists (version, definition, is_current) VALUES (@Version, @Definition, 1)
                ON CONFLICT (version) DO UPDATE SET definition = excluded.definition, is_current = 1
                """,
                new { catalog.ReasonTags.Version, Definition = JsonSerializer.Serialize(catalog.ReasonTags, Json) },
                transaction);
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
    }

    // Group commit: ratings from every concurrent call wait here and are written together, in one transaction and one
    // fsync, by one writer; each call is answered after that commit. Under load this turns thousands of tiny
    // transactions a second into a few large ones; alone, a call waits for nothing but its own commit.
    private readonly Channel<RatingWrite> _ratingWrites = Channel.CreateUnbounded<RatingWrite>(new() { SingleReader = true });
    private readonly Lazy<Task> _ratingWriter;

    // Enough to make a commit worth its fsync, small enough that the first call in a group is not kept long.
    private const int MaxRatingsPerCommit = 5_000;

    private sealed record RatingWrite(
        IReadOnlyList<Rating> Ratings, IReadOnlyList<BadReviewCase> Cases, TaskCompletionSource<IReadOnlyList<StoreOutcome>> Done);

    public Task<IReadOnlyList<StoreOutcome>> AddRatingsAsync(
        IReadOnlyList<Rating> ratings, IReadOnlyList<BadReviewCase> cases, CancellationToken cancellationToken)
    {
        var write = new RatingWrite(ratings, cases, new(TaskCreationOptions.RunContinuationsAsynchronously));
        _ = _ratingWriter.Value;
        if (!_ratingWrites.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(GetType().Name, "the store is shut down");
        }

        // A caller that gives up still has its ratings written (or not) with the rest: a retry then gets "already stored".
        return write.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteRatingsAsync()
    {
        var group = new List<RatingWrite>();
        while (await _ratingWrites.Reader.WaitToReadAsync())
        {
            group.Clear();
            var ratings = 0;
            while (ratings < MaxRatingsPerCommit && _ratingWrites.Reader.TryRead(out var write))
            {
                group.Add(write);
                ratings += write.Ratings.Count;
            }

            try
            {
                var outcomes = await WriteAsync(connection => WriteRatingGroupAsync(connection, group), CancellationToken.None);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Done.SetResult(outcomes[i]);
                }
            }
            catch (Exception) when (group.Count > 1)
            {
                // One call's fault must not fail the others: each is written again on its own.
                foreach (var write in group)
                {
                    try
                    {
                        write.Done.SetResult((await WriteAsync(connection => WriteRatingGroupAsync(connection, [write]), CancellationToken.None))[0]);
                    }
                    catch (Exception e)
                    {
                        write.Done.SetException(e);
                    }
                }
            }
            catch (Exception e)
            {
                group[0].Done.SetException(e);
            }
        }
    }

    /// <summary>Writes the calls' ratings, their contacts and cases, and the tallies, in one transaction.</summary>
    private async Task<IReadOnlyList<StoreOutcome>[]> WriteRatingGroupAsync(DbConnection connection, IReadOnlyList<RatingWrite> group)
    {
        var results = new IReadOnlyList<StoreOutcome>[group.Count];
        var stored = new List<RatingRecord>();
        var contacts = new List<object?[]>();
        var openedCases = new List<BadReviewCase>();
        await using var transaction = await connection.BeginTransactionAsync();
        // A rating sent twice in one group (a retry that overtook its first try) is inserted once: the first copy counts.
        var seen = new HashSet<Guid>();
        var firstCopies = group.SelectMany(w => w.Ratings).Where(r => seen.Add(r.Id)).ToList();
        var inserted = await InsertNewRatingsAsync(connection, transaction, firstCopies);
        for (var w = 0; w < group.Count; w++)
        {
            var (ratings, cases, _) = group[w];
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

        await MultiRowStatement.RunAsync(
            connection, transaction, "INSERT INTO rater_contacts (rating_id, phone_protected) VALUES", "", contacts, RowsPerStatement);
        await MultiRowStatement.RunAsync(
            connection, transaction, InsertCasesHead, "", openedCases.Select(CaseValues).ToList(), RowsPerStatement);
        await MultiRowStatement.RunAsync(
            connection, transaction, InsertEventsHead, "", openedCases.SelectMany(c => EventValues(c, 0)).ToList(), RowsPerStatement);
        await AddToTalliesAsync(connection, transaction, stored);
        await transaction.CommitAsync();
        return results;
    }

    public void Dispose() => _ratingWrites.Writer.TryComplete();

    public async Task<BadReviewCase?> FindCaseAsync(Guid caseId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var snapshot = await connection.QuerySingleOrDefaultAsync<string>(
            new CommandDefinition("SELECT snapshot FROM cases WHERE id = @Id", new { Id = caseId.ToString() }, cancellationToken: cancellationToken));
        return snapshot is null ? null : BadReviewCase.Restore(Deserialize<CaseSnapshot>(snapshot));
    }

    public async Task<IReadOnlyList<BadReviewCase>> ListCasesAsync(
        string? hallCode, bool openOnly, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var snapshots = await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT snapshot FROM cases
            WHERE (@HallCode IS NULL OR hall_code = @HallCode) AND (@OpenOnly = 0 OR state <> @Closed)
            ORDER BY received_at_ms DESC, id
            LIMIT @Limit
            """,
            new { HallCode = hallCode, OpenOnly = openOnly ? 1 : 0, Closed = (int)CaseState.Closed, Limit = limit },
            cancellationToken: cancellationToken));
        return snapshots.Select(s => BadReviewCase.Restore(Deserialize<CaseSnapshot>(s))).ToList();
    }

    public async Task<IReadOnlyList<BadReviewCase>> ListEscalationCandidatesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var snapshots = await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT snapshot FROM cases
            WHERE escalated = 0 AND state <> @Closed AND (contact_due_ms < @NowMs OR rectification_due_ms < @NowMs)
            ORDER BY received_at_ms
            LIMIT @Limit
            """,
            new { Closed = (int)CaseState.Closed, NowMs = now.ToUnixTimeMilliseconds(), Limit = limit },
            cancellationToken: cancellationToken));
        return snapshots.Select(s => BadReviewCase.Restore(Deserialize<CaseSnapshot>(s))).ToList();
    }

    public async Task SaveCaseAsync(BadReviewCase updated, int eventsBefore, CancellationToken cancellationToken)
    {
        var parameters = CaseParameters(updated);
        parameters.Add("EventsBefore", eventsBefore);
        await WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var changed = await connection.ExecuteAsync(
                $"UPDATE cases SET {CaseUpdates} WHERE id = @id AND event_count = @EventsBefore",
                parameters,
                transaction);
            if (changed != 1)
            {
                throw new ConcurrentChangeException($"案件 {updated.Id} 已被他人更新，请刷新后重试");
            }

            await InsertEventsAsync(connection, transaction, updated, eventsBefore);
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
    }

    public async Task<string?> FindProtectedContactAsync(Guid ratingId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT phone_protected FROM rater_contacts WHERE rating_id = @Id", new { Id = ratingId.ToString() },
            cancellationToken: cancellationToken));
    }

    public async Task<RatingRecord?> FindRatingAsync(Guid ratingId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StoredRatingRow>(new CommandDefinition(
            RatingColumns + " WHERE id = @Id", new { Id = ratingId.ToString() }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<RatingRecord>> ListBadRatingsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredRatingRow>(new CommandDefinition(
            RatingColumns + " WHERE level >= @Dissatisfied AND rated_at_ms >= @FromMs AND rated_at_ms < @ToMs ORDER BY rated_at_ms",
            new { Dissatisfied = RatingLevel.Dissatisfied.ToGbt39046Code(), FromMs = from.ToUnixTimeMilliseconds(), ToMs = to.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<RatingTally>> TallyRatingsAsync(
        DateOnly firstDay, DateOnly lastDay, Scope scope, CancellationToken cancellationToken)
    {
        var within = scope.Kind switch
        {
            ScopeKind.District => "",
            ScopeKind.Hall => " AND hall_code = @Code",
            ScopeKind.Department => " AND department_code = @Code",
            ScopeKind.Window => " AND hall_code = @HallCode AND window_code = @Code",
            ScopeKind.ServiceItem => " AND service_item_code = @Code",
            _ => throw new ArgumentOutOfRangeException(nameof(scope), scope.Kind, null),
        };
        // Whole months from the month tallies, the days before and after them from the day tallies.
        var firstMonth = firstDay.Day == 1 ? firstDay : new DateOnly(firstDay.Year, firstDay.Month, 1).AddMonths(1);
        var afterLastMonth = new DateOnly(lastDay.Year, lastDay.Month, 1);
        if (lastDay == afterLastMonth.AddMonths(1).AddDays(-1))
        {
            afterLastMonth = afterLastMonth.AddMonths(1);
        }

        var months = firstMonth < afterLastMonth;
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string HallCode, string DepartmentCode, string WindowCode, string ServiceItemCode, long Channel,
            long Level, long Active, long Count)>(new CommandDefinition(
            $"""
            SELECT hall_code, department_code, window_code, service_item_code, channel, level, active, SUM(count)
            FROM (
                SELECT hall_code, department_code, window_code, service_item_code, channel, level, active, count FROM rating_days
                WHERE ((local_day >= @FirstDay AND local_day < @FirstMonthDay) OR (local_day >= @AfterMonthsDay AND local_day <= @LastDay)){within}
                UNION ALL
                SELECT hall_code, department_code, window_code, service_item_code, channel, level, active, count FROM rating_months
                WHERE local_month >= @FirstMonth AND local_month < @AfterLastMonth{within}
            ) AS tallies
            GROUP BY hall_code, department_code, window_code, service_item_code, channel, level, active
            """,
            new
            {
                FirstDay = DayKey(firstDay),
                LastDay = DayKey(lastDay),
                // Without a whole month in the period, every day comes from the day tallies.
                FirstMonthDay = DayKey(months ? firstMonth : lastDay.AddDays(1)),
                AfterMonthsDay = DayKey(months ? afterLastMonth : lastDay.AddDays(1)),
                FirstMonth = MonthKey(firstMonth),
                AfterLastMonth = months ? MonthKey(afterLastMonth) : MonthKey(firstMonth),
                scope.Code,
                scope.HallCode,
            },
            cancellationToken: cancellationToken));
        return rows.Select(r => new RatingTally(
            r.HallCode, r.DepartmentCode, NullIfEmpty(r.WindowCode), NullIfEmpty(r.ServiceItemCode), (RatingChannel)r.Channel,
            RatingLevels.FromGbt39046Code((int)r.Level), r.Active == 1, checked((int)r.Count))).ToList();
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>A local day as the tallies key it: 2026-11-28 is 20261128.</summary>
    private static long DayKey(DateOnly day) => (day.Year * 10_000L) + (day.Month * 100) + day.Day;

    /// <summary>A local month as the tallies key it: November 2026 is 202611.</summary>
    private static long MonthKey(DateOnly day) => (day.Year * 100L) + day.Month;

    /// <summary>
    /// Adds stored ratings to the hour and day tallies, in the caller's transaction: one upsert per kind of rating, not
    /// per rating.
    /// </summary>
    private async Task AddToTalliesAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<RatingRecord> stored)
    {
        var list = stored;
        if (list.Count == 0)
        {
            return;
        }

        // In key order: two writers upserting the same tallies then lock them in the same order (no deadlock).
        var hours = list
            .GroupBy(r => (HourMs: r.RatedAt.ToUnixTimeMilliseconds() / HourMs * HourMs, r.HallCode, r.DepartmentCode,
                Level: (long)r.Level.ToGbt39046Code(), Active: r.IsActive ? 1L : 0L))
            .OrderBy(g => g.Key)
            .Select(g => new object?[] { g.Key.HourMs, g.Key.HallCode, g.Key.DepartmentCode, g.Key.Level, g.Key.Active, (long)g.Count() })
            .ToList();
        await MultiRowStatement.RunAsync(
            connection, transaction,
            "INSERT INTO rating_hours (hour_ms, hall_code, department_code, level, active, count) VALUES",
            "ON CONFLICT (hall_code, hour_ms, department_code, level, active) DO UPDATE SET count = rating_hours.count + excluded.count",
            hours, RowsPerStatement);
        var local = list.Select(r => (Rating: r, Day: _clock.LocalDay(r.RatedAt))).ToList();
        await AddToPeriodTalliesAsync(connection, transaction, "rating_days", "local_day", local.Select(x => (DayKey(x.Day), x.Rating)));
        await AddToPeriodTalliesAsync(connection, transaction, "rating_months", "local_month", local.Select(x => (MonthKey(x.Day), x.Rating)));
    }

    private Task AddToPeriodTalliesAsync(
        DbConnection connection, DbTransaction transaction, string table, string periodColumn, IEnumerable<(long Period, RatingRecord Rating)> ratings)
    {
        var rows = ratings
            .GroupBy(x => (x.Period, x.Rating.HallCode, x.Rating.DepartmentCode, WindowCode: x.Rating.WindowCode ?? "",
                ServiceItemCode: x.Rating.ServiceItemCode ?? "", Channel: (long)x.Rating.Channel, Level: (long)x.Rating.Level.ToGbt39046Code(),
                Active: x.Rating.IsActive ? 1L : 0L))
            .OrderBy(g => g.Key)
            .Select(g => new object?[]
            {
                g.Key.Period, g.Key.HallCode, g.Key.DepartmentCode, g.Key.WindowCode, g.Key.ServiceItemCode, g.Key.Channel, g.Key.Level,
                g.Key.Active, (long)g.Count(),
            })
            .ToList();
        return MultiRowStatement.RunAsync(
            connection, transaction,
            $"INSERT INTO {table} ({periodColumn}, hall_code, department_code, window_code, service_item_code, channel, level, active, count) VALUES",
            $"""
            ON CONFLICT ({periodColumn}, hall_code, department_code, window_code, service_item_code, channel, level, active)
            DO UPDATE SET count = {table}.count + excluded.count
            """,
            rows, RowsPerStatement);
    }

    private const long HourMs = 3_600_000;

    private const string RatingColumns =
        """
        SELECT id AS Id, hall_code AS HallCode, window_code AS WindowCode, service_item_code AS ServiceItemCode,
            department_code AS DepartmentCode, level AS Level, channel AS Channel, reason_tag_codes AS ReasonTagCodes,
            text AS Text, rated_at_ms AS RatedAtMs, active AS Active
        FROM ratings
        """;

    private sealed record StoredRatingRow(
        string Id, string HallCode, string? WindowCode, string? ServiceItemCode, string DepartmentCode, long Level, long Channel,
        string ReasonTagCodes, string? Text, long RatedAtMs, long Active)
    {
        public RatingRecord ToRecord() => new(
            Guid.Parse(Id), HallCode, WindowCode, ServiceItemCode, DepartmentCode, RatingLevels.FromGbt39046Code((int)Level),
            (RatingChannel)Channel, ReasonTagCodes.Length == 0 ? [] : ReasonTagCodes.Split(','), Text,
            DateTimeOffset.FromUnixTimeMilliseconds(RatedAtMs), Active == 1);
    }

    public async Task<bool> AddAccountAsync(StaffAccount account, CancellationToken cancellationToken)
    {
        return await WriteAsync(async connection =>
        {
            return await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO staff_accounts (id, user_name, display_name, role, department_code, hall_code, password_hash)
                VALUES (@Id, @UserName, @DisplayName, @Role, @DepartmentCode, @HallCode, @PasswordHash)
                ON CONFLICT (user_name) DO NOTHING
                """,
                new
                {
                    Id = account.Id.ToString(), account.UserName, account.DisplayName, Role = (int)account.Role,
                    account.DepartmentCode, account.HallCode, account.PasswordHash,
                },
                cancellationToken: cancellationToken)) == 1;
        }, cancellationToken);
    }

    public async Task<StaffAccount?> FindAccountAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            "SELECT id AS Id, user_name AS UserName, display_name AS DisplayName, role AS Role, department_code AS DepartmentCode, hall_code AS HallCode, password_hash AS PasswordHash FROM staff_accounts WHERE user_name = @UserName",
            new { UserName = userName }, cancellationToken: cancellationToken));
        return row?.ToAccount();
    }

    public async Task AddStaffSessionAsync(string tokenHash, Guid accountId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await WriteAsync(async connection =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO staff_sessions (token_hash, account_id, expires_at_ms) VALUES (@TokenHash, @AccountId, @ExpiresAtMs)",
                new { TokenHash = tokenHash, AccountId = accountId.ToString(), ExpiresAtMs = expiresAt.ToUnixTimeMilliseconds() },
                cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    public async Task<StaffAccount?> FindSessionAccountAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            """
            SELECT a.id AS Id, a.user_name AS UserName, a.display_name AS DisplayName, a.role AS Role, a.department_code AS DepartmentCode,
                a.hall_code AS HallCode, a.password_hash AS PasswordHash
            FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id
            WHERE s.token_hash = @TokenHash AND s.expires_at_ms > @NowMs
            """,
            new { TokenHash = tokenHash, NowMs = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return row?.ToAccount();
    }

    public async Task SaveKioskAsync(EnrolledKiosk kiosk, CancellationToken cancellationToken)
    {
        await WriteAsync(async connection =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO kiosks (device_id, hall_code, credential_hash, enrolled_at_ms, revoked_at_ms)
                VALUES (@DeviceId, @HallCode, @CredentialHash, @EnrolledAtMs, @RevokedAtMs)
                ON CONFLICT (device_id) DO UPDATE SET hall_code = excluded.hall_code, credential_hash = excluded.credential_hash,
                    enrolled_at_ms = excluded.enrolled_at_ms, revoked_at_ms = excluded.revoked_at_ms
                """,
                new
                {
                    kiosk.DeviceId, kiosk.HallCode, kiosk.CredentialHash,
                    EnrolledAtMs = kiosk.EnrolledAt.ToUnixTimeMilliseconds(), RevokedAtMs = kiosk.RevokedAt?.ToUnixTimeMilliseconds(),
                },
                cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    public async Task RecordHeartbeatAsync(string deviceId, KioskHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        await WriteAsync(async connection =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE kiosks SET heartbeat = @Heartbeat WHERE device_id = @DeviceId",
                new { DeviceId = deviceId, Heartbeat = JsonSerializer.Serialize(heartbeat, Json) },
                cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    public Task<EnrolledKiosk?> FindKioskAsync(string deviceId, CancellationToken cancellationToken) =>
        FindKioskWhereAsync("device_id = @Value", deviceId, cancellationToken);

    public Task<EnrolledKiosk?> FindKioskByCredentialAsync(string credentialHash, CancellationToken cancellationToken) =>
        FindKioskWhereAsync("credential_hash = @Value", credentialHash, cancellationToken);

    public async Task<IReadOnlyList<EnrolledKiosk>> ListKiosksAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<KioskRow>(new CommandDefinition(KioskColumns + " ORDER BY device_id", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToKiosk()).ToList();
    }

    private async Task<EnrolledKiosk?> FindKioskWhereAsync(string condition, string value, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KioskRow>(new CommandDefinition(
            KioskColumns + " WHERE " + condition, new { Value = value }, cancellationToken: cancellationToken));
        return row?.ToKiosk();
    }

    private const string KioskColumns =
        """
        SELECT device_id AS DeviceId, hall_code AS HallCode, credential_hash AS CredentialHash, enrolled_at_ms AS EnrolledAtMs,
            revoked_at_ms AS RevokedAtMs, heartbeat AS Heartbeat
        FROM kiosks
        """;

    private sealed record KioskRow(
        string DeviceId, string HallCode, string CredentialHash, long EnrolledAtMs, long? RevokedAtMs, string? Heartbeat)
    {
        public EnrolledKiosk ToKiosk() => new(
            DeviceId, HallCode, CredentialHash, DateTimeOffset.FromUnixTimeMilliseconds(EnrolledAtMs),
            RevokedAtMs is { } revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null,
            Heartbeat is null ? null : Deserialize<KioskHeartbeat>(Heartbeat));
    }

    private Task InsertEventsAsync(DbConnection connection, DbTransaction transaction, BadReviewCase c, int from) =>
        MultiRowStatement.RunAsync(connection, transaction, InsertEventsHead, "", EventValues(c, from).ToList(), RowsPerStatement);

    // Append-only: events are inserted, never updated or deleted; the key refuses a second writer of a sequence.
    private const string InsertEventsHead =
        "INSERT INTO case_events (case_id, sequence, at_ms, actor_id, actor_role, kind, from_state, to_state, note, detail) VALUES";

    private static IEnumerable<object?[]> EventValues(BadReviewCase c, int from) => c.Events.Skip(from).Select(e => new object?[]
    {
        c.Id.ToString(), (long)e.Sequence, e.At.ToUnixTimeMilliseconds(), e.By.Id, (long)e.By.Role, (long)e.Kind, (long)e.From, (long)e.To,
        e.Note, JsonSerializer.Serialize(e, Json),
    });

    // Every column of a case's row, in one place: the insert, the update after each step and the facts backfill all read
    // it. The first ones never change once a case is open; a step updates the rest.
    private static readonly (string Column, Func<BadReviewCase, CaseFacts, object?> Value)[] CaseColumns =
    [
        ("id", (c, _) => c.Id.ToString()),
        ("rating_id", (c, _) => c.RatingId.ToString()),
        ("hall_code", (c, _) => c.HallCode),
        ("department_code", (c, _) => c.DepartmentCode),
        ("window_code", (c, _) => c.WindowCode),
        ("received_at_ms", (c, _) => c.ReceivedAt.ToUnixTimeMilliseconds()),
        ("service_item_code", (c, _) => c.ServiceItemCode),
        ("assigned_department_code", (c, _) => c.AssignedDepartmentCode),
        ("state", (c, _) => (long)c.State),
        ("event_count", (c, _) => (long)c.Events.Count),
        ("snapshot", (c, _) => JsonSerializer.Serialize(c.ToSnapshot(), Json)),
        ("appeal_upheld", (_, f) => Flag(f.AppealUpheld)),
        ("closed", (_, f) => Flag(f.Closed)),
        ("rectified", (_, f) => Flag(f.Rectified)),
        ("rectified_in_time", (_, f) => Flag(f.RectifiedInTime)),
        ("real_name", (_, f) => Flag(f.RealName)),
        ("called_back", (_, f) => Flag(f.CalledBack)),
        ("rater_asked", (_, f) => Flag(f.RaterAsked)),
        ("rater_satisfied", (_, f) => Flag(f.RaterSatisfied)),
        ("rectification_due_ms", (_, f) => f.RectificationDue.ToUnixTimeMilliseconds()),
        ("contact_due_ms", (_, f) => f.ContactDue.ToUnixTimeMilliseconds()),
        ("escalated", (_, f) => Flag(f.Escalated)),
    ];

    // id, rating_id, hall_code, department_code, window_code, received_at_ms: fixed when the case opens.
    private const int FixedCaseColumns = 6;

    private static readonly string InsertCasesHead = $"INSERT INTO cases ({string.Join(", ", CaseColumns.Select(x => x.Column))}) VALUES";

    private static readonly string CaseUpdates =
        string.Join(", ", CaseColumns.Skip(FixedCaseColumns).Select(x => $"{x.Column} = @{x.Column}"));

    private static object?[] CaseValues(BadReviewCase c)
    {
        var facts = CaseFacts.Of(c);
        return CaseColumns.Select(x => x.Value(c, facts)).ToArray();
    }

    private static DynamicParameters CaseParameters(BadReviewCase c)
    {
        var parameters = new DynamicParameters();
        var values = CaseValues(c);
        for (var i = 0; i < CaseColumns.Length; i++)
        {
            parameters.Add(CaseColumns[i].Column, values[i]);
        }

        return parameters;
    }

    private static long Flag(bool value) => value ? 1 : 0;

    private sealed record AccountRow(
        string Id, string UserName, string DisplayName, long Role, string? DepartmentCode, string? HallCode, string PasswordHash)
    {
        public StaffAccount ToAccount() => new(Guid.Parse(Id), UserName, DisplayName, (StaffRole)Role, DepartmentCode, HallCode, PasswordHash);
    }

    public async Task<IReadOnlyList<RatingCountRow>> CountRatingsAsync(
        string hallCode, DateTimeOffset from, DateTimeOffset to, TimeSpan utcOffset, CancellationToken cancellationToken)
    {
        // The hour tallies answer for whole hours: a day of a zone a whole number of hours off UTC (China's is +8).
        if (from.ToUnixTimeMilliseconds() % HourMs != 0 || to.ToUnixTimeMilliseconds() % HourMs != 0)
        {
            throw new ArgumentException($"counts are kept by the hour; {from:O} to {to:O} does not start and end on an hour");
        }

        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string DepartmentCode, long Level, long LocalHour, long Count)>(
            new CommandDefinition(
                """
                SELECT department_code, level, ((hour_ms + @OffsetMs) / 3600000) % 24 AS local_hour, SUM(count) AS count
                FROM rating_hours
                WHERE hall_code = @HallCode AND hour_ms >= @FromMs AND hour_ms < @ToMs AND active = 1
                GROUP BY department_code, level, local_hour
                """,
                new
                {
                    HallCode = hallCode,
                    FromMs = from.ToUnixTimeMilliseconds(),
                    ToMs = to.ToUnixTimeMilliseconds(),
                    OffsetMs = (long)utcOffset.TotalMilliseconds,
                },
                cancellationToken: cancellationToken));
        return rows.Select(r => new RatingCountRow(r.DepartmentCode, (RatingLevel)r.Level, (int)r.LocalHour, (int)r.Count)).ToList();
    }

    public async Task<CaseFigures> CountCasesAsync(
        DateTimeOffset from, DateTimeOffset to, Scope scope, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // The sums CaseFigures.Of makes, over the facts kept beside each case.
        var row = await connection.QuerySingleAsync<(long? Upheld, long? Due, long? Rectified, long? InTime, long? RealName, long? Contacted,
            long? Asked, long? Satisfied)>(new CommandDefinition(
            $"""
            SELECT SUM(appeal_upheld),
                SUM(CASE WHEN appeal_upheld = 0 AND (closed = 1 OR rectification_due_ms < @AsOfMs) THEN 1 ELSE 0 END),
                SUM(CASE WHEN appeal_upheld = 0 THEN rectified ELSE 0 END),
                SUM(CASE WHEN appeal_upheld = 0 THEN rectified_in_time ELSE 0 END),
                SUM(CASE WHEN appeal_upheld = 0 THEN real_name ELSE 0 END),
                SUM(CASE WHEN appeal_upheld = 0 AND real_name = 1 THEN called_back ELSE 0 END),
                SUM(CASE WHEN appeal_upheld = 0 THEN rater_asked ELSE 0 END),
                SUM(CASE WHEN appeal_upheld = 0 THEN rater_satisfied ELSE 0 END)
            FROM cases c
            WHERE c.received_at_ms >= @FromMs AND c.received_at_ms < @ToMs{CaseScope(scope)}
            """,
            ScopeParameters(from, to, scope, asOf), cancellationToken: cancellationToken));
        return new CaseFigures(
            (int)(row.Upheld ?? 0), (int)(row.Due ?? 0), (int)(row.Rectified ?? 0), (int)(row.InTime ?? 0), (int)(row.RealName ?? 0),
            (int)(row.Contacted ?? 0), (int)(row.Asked ?? 0), (int)(row.Satisfied ?? 0));
    }

    public async Task<IReadOnlyList<RatingRecord>> ListUpheldRatingsAsync(
        DateTimeOffset from, DateTimeOffset to, Scope scope, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredRatingRow>(new CommandDefinition(
            $"""
            SELECT r.id AS Id, r.hall_code AS HallCode, r.window_code AS WindowCode, r.service_item_code AS ServiceItemCode,
                r.department_code AS DepartmentCode, r.level AS Level, r.channel AS Channel, r.reason_tag_codes AS ReasonTagCodes,
                r.text AS Text, r.rated_at_ms AS RatedAtMs, r.active AS Active
            FROM cases c JOIN ratings r ON r.id = c.rating_id
            WHERE c.appeal_upheld = 1 AND c.received_at_ms >= @FromMs AND c.received_at_ms < @ToMs{CaseScope(scope)}
                AND r.rated_at_ms >= @FromMs AND r.rated_at_ms < @ToMs{RatingScope(scope)}
            """,
            ScopeParameters(from, to, scope, asOf: to), cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    // Scope.Covers in SQL: a case counts for its responsible department (谁办理、谁负责), a rating for the one it rated.
    private static string CaseScope(Scope scope) => scope.Kind switch
    {
        ScopeKind.District => "",
        ScopeKind.Hall => " AND c.hall_code = @Code",
        ScopeKind.Department => " AND COALESCE(c.assigned_department_code, c.department_code) = @Code",
        ScopeKind.Window => " AND c.hall_code = @HallCode AND c.window_code = @Code",
        ScopeKind.ServiceItem => " AND c.service_item_code = @Code",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope.Kind, null),
    };

    private static string RatingScope(Scope scope) => scope.Kind switch
    {
        ScopeKind.District => "",
        ScopeKind.Hall => " AND r.hall_code = @Code",
        ScopeKind.Department => " AND r.department_code = @Code",
        ScopeKind.Window => " AND r.hall_code = @HallCode AND r.window_code = @Code",
        ScopeKind.ServiceItem => " AND r.service_item_code = @Code",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope.Kind, null),
    };

    private static object ScopeParameters(DateTimeOffset from, DateTimeOffset to, Scope scope, DateTimeOffset asOf) => new
    {
        FromMs = from.ToUnixTimeMilliseconds(), ToMs = to.ToUnixTimeMilliseconds(), AsOfMs = asOf.ToUnixTimeMilliseconds(), scope.Code,
        scope.HallCode,
    };

    public async Task<IReadOnlyList<BadReviewCase>> ListCasesReceivedAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var snapshots = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT snapshot FROM cases WHERE received_at_ms >= @FromMs AND received_at_ms < @ToMs ORDER BY received_at_ms",
            new { FromMs = from.ToUnixTimeMilliseconds(), ToMs = to.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return snapshots.Select(s => BadReviewCase.Restore(Deserialize<CaseSnapshot>(s))).ToList();
    }

    public async Task<bool> AddPublicationAsync(Publication publication, CancellationToken cancellationToken)
    {
        return await WriteAsync(async connection =>
        {
            return await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO publications (period_key, version, published_at_ms, content)
                VALUES (@PeriodKey, @Version, @PublishedAtMs, @Content)
                ON CONFLICT (period_key, version) DO NOTHING
                """,
                new
                {
                    publication.PeriodKey, publication.Version, PublishedAtMs = publication.PublishedAt.ToUnixTimeMilliseconds(),
                    Content = JsonSerializer.Serialize(publication, Json),
                },
                cancellationToken: cancellationToken)) == 1;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<Publication>> ListPublicationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT content FROM publications ORDER BY published_at_ms DESC, period_key DESC, version DESC",
            cancellationToken: cancellationToken));
        return rows.Select(Deserialize<Publication>).ToList();
    }

    public async Task HideRatingTextAsync(Guid ratingId, string by, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await WriteAsync(async connection =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO hidden_texts (rating_id, hidden_by, reason, hidden_at_ms) VALUES (@Id, @By, @Reason, @AtMs)
                ON CONFLICT (rating_id) DO NOTHING
                """,
                new { Id = ratingId.ToString(), By = by, Reason = reason, AtMs = at.ToUnixTimeMilliseconds() },
                cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    public async Task<IReadOnlySet<Guid>> ListHiddenTextsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<string>(new CommandDefinition("SELECT rating_id FROM hidden_texts", cancellationToken: cancellationToken));
        return ids.Select(Guid.Parse).ToHashSet();
    }

    public async Task<bool> AddTransactionAsync(ServiceTransaction t, CancellationToken cancellationToken)
    {
        return await WriteAsync(async connection =>
        {
            return await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO transactions (transaction_number, hall_code, window_code, service_item_code, department_code, staff_id,
                    short_code, completed_at_ms, rate_by_ms, status)
                VALUES (@TransactionNumber, @HallCode, @WindowCode, @ServiceItemCode, @DepartmentCode, @StaffId,
                    @ShortCode, @CompletedAtMs, @RateByMs, @Status)
                ON CONFLICT (transaction_number) DO NOTHING
                """,
                new
                {
                    t.TransactionNumber, t.HallCode, t.WindowCode, t.ServiceItemCode, t.DepartmentCode, t.StaffId, t.ShortCode,
                    CompletedAtMs = t.CompletedAt.ToUnixTimeMilliseconds(), RateByMs = t.RateBy.ToUnixTimeMilliseconds(), Status = (int)t.Status,
                },
                cancellationToken: cancellationToken)) == 1;
        }, cancellationToken);
    }

    public Task<ServiceTransaction?> FindTransactionAsync(string transactionNumber, CancellationToken cancellationToken) =>
        FindTransactionWhereAsync("transaction_number = @Value", transactionNumber, cancellationToken);

    public Task<ServiceTransaction?> FindTransactionByShortCodeAsync(string shortCode, CancellationToken cancellationToken) =>
        FindTransactionWhereAsync("short_code = @Value", shortCode, cancellationToken);

    public async Task<bool> MarkNotRatedAsync(string transactionNumber, CancellationToken cancellationToken)
    {
        return await WriteAsync(async connection =>
        {
            return await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE transactions SET status = @NotRated WHERE transaction_number = @Number AND status = @Offered",
                new { NotRated = (int)TransactionStatus.NotRated, Offered = (int)TransactionStatus.Offered, Number = transactionNumber },
                cancellationToken: cancellationToken)) == 1;
        }, cancellationToken);
    }

    public async Task<(int Offered, int NotRated)> CountTransactionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(long Offered, long? NotRated)>(new CommandDefinition(
            """
            SELECT COUNT(*), SUM(CASE WHEN status = @NotRated THEN 1 ELSE 0 END) FROM transactions
            WHERE completed_at_ms >= @FromMs AND completed_at_ms < @ToMs
            """,
            new { NotRated = (int)TransactionStatus.NotRated, FromMs = from.ToUnixTimeMilliseconds(), ToMs = to.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return ((int)row.Offered, (int)(row.NotRated ?? 0));
    }

    private async Task<ServiceTransaction?> FindTransactionWhereAsync(string condition, string value, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TransactionRow>(new CommandDefinition(
            """
            SELECT transaction_number AS TransactionNumber, hall_code AS HallCode, window_code AS WindowCode,
                service_item_code AS ServiceItemCode, department_code AS DepartmentCode, staff_id AS StaffId,
                short_code AS ShortCode, completed_at_ms AS CompletedAtMs, rate_by_ms AS RateByMs, status AS Status
            FROM transactions WHERE
            """ + " " + condition,
            new { Value = value }, cancellationToken: cancellationToken));
        return row?.ToTransaction();
    }

    private sealed record TransactionRow(
        string TransactionNumber, string HallCode, string WindowCode, string ServiceItemCode, string DepartmentCode, string? StaffId,
        string ShortCode, long CompletedAtMs, long RateByMs, long Status)
    {
        public ServiceTransaction ToTransaction() => new(
            TransactionNumber, HallCode, WindowCode, ServiceItemCode, DepartmentCode, StaffId, ShortCode,
            DateTimeOffset.FromUnixTimeMilliseconds(CompletedAtMs), DateTimeOffset.FromUnixTimeMilliseconds(RateByMs), (TransactionStatus)Status);
    }

    private Task WriteAsync(Func<DbConnection, Task> write, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await write(connection);
            return true;
        }, cancellationToken);

    private static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidDataException($"stored {typeof(T).Name} is empty");

    /// <summary>
    /// How many rows one INSERT statement of a group commit carries (<see cref="MultiRowStatement"/>). The statement is
    /// prepared once per commit and reused.
    /// </summary>
    protected virtual int RowsPerStatement => 200;

    private const string InsertRatingsHead =
        """
        INSERT INTO ratings (id, transaction_number, hall_code, region_code, window_code, service_item_code,
            department_code, staff_id, channel, level, reason_tag_codes, reason_tag_list_version, text,
            rated_at_ms, received_at_ms, sequence, active, real_name, device_id)
        VALUES
        """;

    // A rating's sequence: 1 for every rating (kept for corrections that would store a later version).
    private const long FirstSequence = 1;

    private static object?[] RatingValues(Rating r) =>
    [
        r.Id.ToString(), r.TransactionNumber, r.HallCode, r.RegionCode, r.WindowCode, r.ServiceItemCode, r.DepartmentCode, r.StaffId,
        (long)r.Channel, (long)r.Level.ToGbt39046Code(), string.Join(',', r.ReasonTagCodes), r.ReasonTagListVersion, r.Text,
        r.RatedAt.ToUnixTimeMilliseconds(), r.ReceivedAt.ToUnixTimeMilliseconds(), FirstSequence, r.IsActive ? 1L : 0L, r.IsRealName ? 1L : 0L,
        r.DeviceId,
    ];

    /// <summary>
    /// Inserts the ratings whose id is not stored yet and returns those ids. The unique id makes a retried rating a no-op:
    /// an id not returned was stored before.
    /// </summary>
    private async Task<HashSet<Guid>> InsertNewRatingsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Rating> ratings)
    {
        var inserted = new HashSet<Guid>();
        await MultiRowStatement.RunAsync(
            connection, transaction, InsertRatingsHead, "ON CONFLICT (id) DO NOTHING RETURNING id", ratings.Select(RatingValues).ToList(),
            RowsPerStatement, reader => inserted.Add(Guid.Parse(reader.GetString(0))));
        return inserted;
    }
}

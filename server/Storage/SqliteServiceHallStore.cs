using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>The embedded default store: one SQLite file in WAL mode, fsync on every commit.</summary>
public sealed class SqliteServiceHallStore : IServiceHallStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _connectionString;
    private readonly ContactProtector _contacts;

    // SQLite has one writer at a time; queueing writers here avoids SQLITE_BUSY retries.
    private readonly SemaphoreSlim _writer = new(1, 1);

    public SqliteServiceHallStore(IOptions<StorageOptions> options, IHostEnvironment environment, ContactProtector contacts)
    {
        var path = Path.GetFullPath(options.Value.DatabasePath, environment.ContentRootPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _contacts = contacts;
    }

    // Raised whenever the schema changes. There are no migrations yet: a store of another version is refused at start
    // with a clear message rather than failing later on a missing column.
    private const int SchemaVersion = 4;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        var version = await connection.ExecuteScalarAsync<long>("PRAGMA user_version;");
        var isEmpty = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") == 0;
        if (!isEmpty && version != SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The store {connection.DataSource} has schema version {version}; this server needs {SchemaVersion}. " +
                "Back it up and start from an empty store (the demo's is server/.data/).");
        }

        await connection.ExecuteAsync(new CommandDefinition(Schema, cancellationToken: cancellationToken));
        await connection.ExecuteAsync($"PRAGMA user_version = {SchemaVersion};");
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

    public async Task<IReadOnlyList<StoreOutcome>> AddRatingsAsync(
        IReadOnlyList<Rating> ratings, IReadOnlyList<BadReviewCase> cases, CancellationToken cancellationToken)
    {
        var outcomes = new StoreOutcome[ratings.Count];
        var caseOf = cases.ToDictionary(c => c.RatingId);
        await WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            for (var i = 0; i < ratings.Count; i++)
            {
                var r = ratings[i];
                // The unique id makes a retried rating a no-op: 0 rows changed means it was stored before.
                if (await connection.ExecuteAsync(InsertRating, RatingRow(r), transaction) == 0)
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

                if (r.CallbackPhone is not null)
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO rater_contacts (rating_id, phone_protected) VALUES (@Id, @Phone)",
                        new { Id = r.Id.ToString(), Phone = _contacts.Protect(r.CallbackPhone) },
                        transaction);
                }

                if (caseOf.TryGetValue(r.Id, out var opened))
                {
                    await connection.ExecuteAsync(InsertCase, CaseRow(opened), transaction);
                    await InsertEventsAsync(connection, transaction, opened, 0);
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

        return outcomes;
    }

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

    public async Task SaveCaseAsync(BadReviewCase updated, int eventsBefore, CancellationToken cancellationToken)
    {
        await WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var changed = await connection.ExecuteAsync(
                """
                UPDATE cases SET state = @State, assigned_department_code = @AssignedDepartmentCode, event_count = @EventCount,
                    snapshot = @Snapshot
                WHERE id = @Id AND event_count = @EventsBefore
                """,
                new
                {
                    Id = updated.Id.ToString(),
                    State = (int)updated.State,
                    updated.AssignedDepartmentCode,
                    EventCount = updated.Events.Count,
                    Snapshot = JsonSerializer.Serialize(updated.ToSnapshot(), Json),
                    EventsBefore = eventsBefore,
                },
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

    public async Task<IReadOnlyList<RatingRecord>> ListRatingsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredRatingRow>(new CommandDefinition(
            RatingColumns + " WHERE rated_at_ms >= @FromMs AND rated_at_ms < @ToMs ORDER BY rated_at_ms",
            new { FromMs = from.ToUnixTimeMilliseconds(), ToMs = to.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

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

    private static async Task InsertEventsAsync(SqliteConnection connection, System.Data.Common.DbTransaction transaction, BadReviewCase c, int from)
    {
        // Append-only: events are inserted, never updated or deleted; the key refuses a second writer of a sequence.
        await connection.ExecuteAsync(
            """
            INSERT INTO case_events (case_id, sequence, at_ms, actor_id, actor_role, kind, from_state, to_state, note, detail)
            VALUES (@CaseId, @Sequence, @AtMs, @ActorId, @ActorRole, @Kind, @FromState, @ToState, @Note, @Detail)
            """,
            c.Events.Skip(from).Select(e => new
            {
                CaseId = c.Id.ToString(),
                e.Sequence,
                AtMs = e.At.ToUnixTimeMilliseconds(),
                ActorId = e.By.Id,
                ActorRole = (int)e.By.Role,
                Kind = (int)e.Kind,
                FromState = (int)e.From,
                ToState = (int)e.To,
                e.Note,
                Detail = JsonSerializer.Serialize(e, Json),
            }),
            transaction);
    }

    private static object CaseRow(BadReviewCase c) => new
    {
        Id = c.Id.ToString(),
        RatingId = c.RatingId.ToString(),
        c.HallCode,
        c.DepartmentCode,
        c.AssignedDepartmentCode,
        c.WindowCode,
        State = (int)c.State,
        ReceivedAtMs = c.ReceivedAt.ToUnixTimeMilliseconds(),
        EventCount = c.Events.Count,
        Snapshot = JsonSerializer.Serialize(c.ToSnapshot(), Json),
    };

    private const string InsertCase =
        """
        INSERT INTO cases (id, rating_id, hall_code, department_code, assigned_department_code, window_code, state,
            received_at_ms, event_count, snapshot)
        VALUES (@Id, @RatingId, @HallCode, @DepartmentCode, @AssignedDepartmentCode, @WindowCode, @State,
            @ReceivedAtMs, @EventCount, @Snapshot)
        """;

    private sealed record AccountRow(
        string Id, string UserName, string DisplayName, long Role, string? DepartmentCode, string? HallCode, string PasswordHash)
    {
        public StaffAccount ToAccount() => new(Guid.Parse(Id), UserName, DisplayName, (StaffRole)Role, DepartmentCode, HallCode, PasswordHash);
    }

    public async Task<IReadOnlyList<RatingCountRow>> CountRatingsAsync(
        string hallCode, DateTimeOffset from, DateTimeOffset to, TimeSpan utcOffset, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string DepartmentCode, long Level, long LocalHour, long Count)>(
            new CommandDefinition(
                """
                SELECT department_code, level, ((rated_at_ms + @OffsetMs) / 3600000) % 24 AS local_hour, COUNT(*) AS count
                FROM ratings
                WHERE hall_code = @HallCode AND rated_at_ms >= @FromMs AND rated_at_ms < @ToMs AND active = 1
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

    /// <summary>Runs a write on its own connection, one writer at a time (SQLite has a single writer).</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await write(connection);
        }
        finally
        {
            _writer.Release();
        }
    }

    private Task WriteAsync(Func<SqliteConnection, Task> write, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await write(connection);
            return true;
        }, cancellationToken);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // FULL: a rating acknowledged to a kiosk survives a power cut (the kiosk then forgets it).
        await connection.ExecuteAsync("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
        return connection;
    }

    private static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidDataException($"stored {typeof(T).Name} is empty");

    private static object RatingRow(Rating r) => new
    {
        Id = r.Id.ToString(),
        r.TransactionNumber,
        r.HallCode,
        r.RegionCode,
        r.WindowCode,
        r.ServiceItemCode,
        r.DepartmentCode,
        r.StaffId,
        Channel = (int)r.Channel,
        Level = r.Level.ToGbt39046Code(),
        ReasonTagCodes = string.Join(',', r.ReasonTagCodes),
        r.ReasonTagListVersion,
        r.Text,
        RatedAtMs = r.RatedAt.ToUnixTimeMilliseconds(),
        ReceivedAtMs = r.ReceivedAt.ToUnixTimeMilliseconds(),
        Active = r.IsActive ? 1 : 0,
        RealName = r.IsRealName ? 1 : 0,
        r.DeviceId,
    };

    private const string InsertRating =
        """
        INSERT INTO ratings (id, transaction_number, hall_code, region_code, window_code, service_item_code,
            department_code, staff_id, channel, level, reason_tag_codes, reason_tag_list_version, text,
            rated_at_ms, received_at_ms, sequence, active, real_name, device_id)
        VALUES (@Id, @TransactionNumber, @HallCode, @RegionCode, @WindowCode, @ServiceItemCode,
            @DepartmentCode, @StaffId, @Channel, @Level, @ReasonTagCodes, @ReasonTagListVersion, @Text,
            @RatedAtMs, @ReceivedAtMs, 1, @Active, @RealName, @DeviceId)
        ON CONFLICT (id) DO NOTHING
        """;

    // Level is stored in GB/T 39046 A.8 coding (1 = 非常满意 … 5 = 非常不满意). Times are Unix milliseconds (UTC).
    private const string Schema =
        """
        CREATE TABLE IF NOT EXISTS district (region_code TEXT NOT NULL PRIMARY KEY);
        CREATE TABLE IF NOT EXISTS departments (
            code TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, short_name TEXT NOT NULL, position INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS halls (
            code TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL, opening_hours TEXT NOT NULL,
            supervision_phone TEXT NOT NULL, position INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS service_windows (
            hall_code TEXT NOT NULL, code TEXT NOT NULL, department_code TEXT NOT NULL, definition TEXT NOT NULL,
            position INTEGER NOT NULL, PRIMARY KEY (hall_code, code));
        CREATE TABLE IF NOT EXISTS service_items (
            code TEXT NOT NULL PRIMARY KEY, department_code TEXT NOT NULL, name TEXT NOT NULL, definition TEXT NOT NULL,
            position INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS reason_tag_lists (
            version TEXT NOT NULL PRIMARY KEY, definition TEXT NOT NULL, is_current INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS ratings (
            id TEXT NOT NULL PRIMARY KEY,
            transaction_number TEXT NULL,
            hall_code TEXT NOT NULL,
            region_code TEXT NOT NULL,
            window_code TEXT NULL,
            service_item_code TEXT NULL,
            department_code TEXT NOT NULL,
            staff_id TEXT NULL,
            channel INTEGER NOT NULL,
            level INTEGER NOT NULL,
            reason_tag_codes TEXT NOT NULL,
            reason_tag_list_version TEXT NULL,
            text TEXT NULL,
            rated_at_ms BIGINT NOT NULL,
            received_at_ms BIGINT NOT NULL,
            sequence INTEGER NOT NULL,
            active INTEGER NOT NULL,
            real_name INTEGER NOT NULL,
            device_id TEXT NULL);
        CREATE INDEX IF NOT EXISTS ix_ratings_hall_time ON ratings (hall_code, rated_at_ms);
        CREATE TABLE IF NOT EXISTS cases (
            id TEXT NOT NULL PRIMARY KEY,
            rating_id TEXT NOT NULL UNIQUE REFERENCES ratings (id),
            hall_code TEXT NOT NULL,
            department_code TEXT NOT NULL,
            assigned_department_code TEXT NULL,
            window_code TEXT NULL,
            state INTEGER NOT NULL,
            received_at_ms BIGINT NOT NULL,
            event_count INTEGER NOT NULL,
            snapshot TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_cases_hall_received ON cases (hall_code, received_at_ms);
        CREATE TABLE IF NOT EXISTS case_events (
            case_id TEXT NOT NULL REFERENCES cases (id),
            sequence INTEGER NOT NULL,
            at_ms BIGINT NOT NULL,
            actor_id TEXT NOT NULL,
            actor_role INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            from_state INTEGER NOT NULL,
            to_state INTEGER NOT NULL,
            note TEXT NULL,
            detail TEXT NOT NULL,
            PRIMARY KEY (case_id, sequence));
        CREATE TABLE IF NOT EXISTS staff_accounts (
            id TEXT NOT NULL PRIMARY KEY,
            user_name TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            role INTEGER NOT NULL,
            department_code TEXT NULL,
            hall_code TEXT NULL,
            password_hash TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS staff_sessions (
            token_hash TEXT NOT NULL PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES staff_accounts (id),
            expires_at_ms BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS kiosks (
            device_id TEXT NOT NULL PRIMARY KEY,
            hall_code TEXT NOT NULL,
            credential_hash TEXT NOT NULL UNIQUE,
            enrolled_at_ms BIGINT NOT NULL,
            revoked_at_ms BIGINT NULL,
            heartbeat TEXT NULL);
        CREATE TABLE IF NOT EXISTS publications (
            period_key TEXT NOT NULL,
            version INTEGER NOT NULL,
            published_at_ms BIGINT NOT NULL,
            content TEXT NOT NULL,
            PRIMARY KEY (period_key, version));
        CREATE TABLE IF NOT EXISTS hidden_texts (
            rating_id TEXT NOT NULL PRIMARY KEY REFERENCES ratings (id),
            hidden_by TEXT NOT NULL,
            reason TEXT NOT NULL,
            hidden_at_ms BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS transactions (
            transaction_number TEXT NOT NULL PRIMARY KEY,
            hall_code TEXT NOT NULL,
            window_code TEXT NOT NULL,
            service_item_code TEXT NOT NULL,
            department_code TEXT NOT NULL,
            staff_id TEXT NULL,
            short_code TEXT NOT NULL UNIQUE,
            completed_at_ms BIGINT NOT NULL,
            rate_by_ms BIGINT NOT NULL,
            status INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS rater_contacts (
            rating_id TEXT NOT NULL PRIMARY KEY REFERENCES ratings (id),
            phone_protected TEXT NOT NULL);
        """;
}

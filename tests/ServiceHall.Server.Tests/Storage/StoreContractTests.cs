using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;
using ServiceHall.Server.Tests.Grpc;

namespace ServiceHall.Server.Tests.Storage;

/// <summary>
/// What every store must do, whichever database is under it: these run on SQLite, and on PostgreSQL when the suite
/// runs there (<see cref="TestStore"/>).
/// </summary>
public sealed class StoreContractTests : IDisposable
{
    private readonly ServerFactory _server = new();

    private IRatingStore Ratings => _server.Services.GetRequiredService<IRatingStore>();

    private ICaseStore Cases => _server.Services.GetRequiredService<ICaseStore>();

    private StoreSchema Schema => _server.Services.GetRequiredService<StoreSchema>();

    [Fact]
    public async Task Tallies_AddUpToTheStoredRatings_ForEveryScope()
    {
        var client = _server.CreateRatingClient();
        var levels = new[] { Protos.V1.RatingLevel.VerySatisfied, Protos.V1.RatingLevel.Satisfied, Protos.V1.RatingLevel.Dissatisfied };
        var ratings = Enumerable.Range(0, 30).Select(i =>
        {
            var r = ServerFactory.GoodRating();
            r.WindowCode = i % 3 == 0 ? "A02" : "A01";
            r.Level = levels[i % levels.Length];
            r.Text = r.Level == Protos.V1.RatingLevel.Dissatisfied ? "材料要求前后不一" : "";
            return r;
        }).ToList();
        // In several calls, so the tallies are added to as well as created.
        foreach (var batch in ratings.Chunk(7))
        {
            await client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { batch } });
        }

        var today = _server.Services.GetRequiredService<DistrictClock>().LocalDay(DateTimeOffset.UtcNow);
        var district = await Ratings.TallyRatingsAsync(today, today, Scope.District, CancellationToken.None);
        Assert.Equal(_server.Scalar("SELECT COUNT(*) FROM ratings"), district.Sum(t => t.Count));
        Assert.Equal(_server.Scalar("SELECT COUNT(*) FROM ratings WHERE level = 4"), district.Where(t => t.Level == Server.Domain.RatingLevel.Dissatisfied).Sum(t => t.Count));
        var window = await Ratings.TallyRatingsAsync(today, today, new Scope(Server.Domain.ScopeKind.Window, "A02", ServerFactory.HallCode), CancellationToken.None);
        Assert.Equal(_server.Scalar("SELECT COUNT(*) FROM ratings WHERE window_code = 'A02'"), window.Sum(t => t.Count));
        Assert.All(window, t => Assert.Equal("A02", t.WindowCode));
        // A day with no ratings has no tallies.
        Assert.Empty(await Ratings.TallyRatingsAsync(today.AddDays(-400), today.AddDays(-300), Scope.District, CancellationToken.None));
    }

    [Fact]
    public async Task Tallies_OfAnyRunOfDays_AcrossWholeAndPartMonths_EqualTheRatingsOfThoseDays()
    {
        await _server.Services.GetRequiredService<History.RatingHistory>().GenerateAsync(4_000, 130, badPerMille: 20, seed: 3, CancellationToken.None);
        var clock = _server.Services.GetRequiredService<DistrictClock>();
        var today = clock.LocalDay(DateTimeOffset.UtcNow);
        var lastMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var periods = new (DateOnly First, DateOnly Last)[]
        {
            (lastMonth, lastMonth.AddMonths(1).AddDays(-1)),                         // one whole month
            (lastMonth.AddMonths(-2), lastMonth.AddMonths(1).AddDays(-1)),           // a quarter of whole months
            (lastMonth.AddMonths(-2).AddDays(9), lastMonth.AddDays(19)),             // part, whole, part
            (lastMonth.AddDays(3), lastMonth.AddDays(17)),                           // inside one month
            (lastMonth.AddDays(-5), lastMonth.AddDays(4)),                           // across a month's end, no whole month
            (today.AddDays(-200), today),                                            // everything so far
        };
        foreach (var (first, last) in periods)
        {
            var from = clock.DayBounds(first).From.ToUnixTimeMilliseconds();
            var to = clock.DayBounds(last).To.ToUnixTimeMilliseconds();
            var tallies = await Ratings.TallyRatingsAsync(first, last, Scope.District, CancellationToken.None);
            Assert.Equal(
                _server.Scalar($"SELECT COUNT(*) FROM ratings WHERE rated_at_ms >= {from} AND rated_at_ms < {to}"),
                tallies.Sum(t => t.Count));
            Assert.Equal(
                _server.Scalar($"SELECT COUNT(*) FROM ratings WHERE rated_at_ms >= {from} AND rated_at_ms < {to} AND level >= 4"),
                tallies.Where(t => t.Level.IsBad()).Sum(t => t.Count));
        }
    }

    [Fact]
    public async Task CaseFigures_SummedInTheDatabase_EqualThoseCountedCaseByCase()
    {
        // Closed cases from the history, and open ones (anonymous and real-name) from the kiosk just now.
        await _server.Services.GetRequiredService<History.RatingHistory>().GenerateAsync(3_000, 20, badPerMille: 100, seed: 7, CancellationToken.None);
        var client = _server.CreateRatingClient();
        for (var i = 0; i < 6; i++)
        {
            var r = ServerFactory.GoodRating();
            r.Level = Protos.V1.RatingLevel.VeryDissatisfied;
            r.Text = "窗口无人";
            r.CallbackPhone = i % 2 == 0 ? "13912345678" : "";
            await client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { r } });
        }

        var to = DateTimeOffset.UtcNow.AddDays(1);
        var from = to.AddDays(-40);
        var cases = await Cases.ListCasesRatedAsync(from, to, CancellationToken.None);
        Assert.True(cases.Count > 100 && cases.Any(c => !c.IsClosed) && cases.Any(c => c.IsClosed));
        foreach (var scope in new[] { Scope.District, new Scope(Server.Domain.ScopeKind.Department, "XZSP"), new Scope(Server.Domain.ScopeKind.Hall, ServerFactory.HallCode) })
        {
            foreach (var asOf in new[] { DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(30) })
            {
                Assert.Equal(
                    CaseFigures.Of(cases.Where(scope.Covers).Select(CaseFacts.Of), asOf),
                    await Cases.CountCasesAsync(from, to, scope, asOf, CancellationToken.None));
            }
        }
    }

    [Fact]
    public async Task ConcurrentCalls_WrittenTogether_EachAnsweredWithItsOwnOutcomes()
    {
        var client = _server.CreateRatingClient();
        var ratings = Enumerable.Range(0, 100).Select(_ => ServerFactory.GoodRating()).ToList();
        // Every rating sent twice at once, in separate calls: the writer sees both copies, often in one commit.
        var calls = ratings.Concat(ratings).Select(async r =>
            (r.RatingId, (await client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { r } })).Results.Single().Outcome));
        var answers = await Task.WhenAll(calls);

        Assert.All(answers.GroupBy(a => a.RatingId), g =>
        {
            Assert.Single(g, a => a.Outcome == RatingOutcome.Stored);
            Assert.Single(g, a => a.Outcome == RatingOutcome.AlreadyStored);
        });
        Assert.Equal(100, _server.Scalar("SELECT COUNT(*) FROM ratings"));
    }

    [Fact]
    public async Task StaffIdentities_AStaffMemberLeftTheRoster_StillListed_AndANewOneAdded()
    {
        var store = _server.Services.GetRequiredService<ICatalogStore>();
        var withHer = await store.LoadCatalogAsync(CancellationToken.None);
        Assert.Contains(withHer!.Halls.SelectMany(h => h.Windows).SelectMany(w => w.Staff), s => s is { StaffId: "HY0101", Name: "王晓燕" });
        await store.SaveCatalogAsync(withHer, demoStore: false, CancellationToken.None);
        var before = (await store.ListStaffIdentitiesAsync(CancellationToken.None)).Single(s => s.StaffId == "HY0101");

        // The next catalog has someone else at her window and her nowhere.
        var withoutHer = WithoutStaff(withHer, "HY0101");
        Assert.DoesNotContain(withoutHer.Halls.SelectMany(h => h.Windows).SelectMany(w => w.Staff), s => s.StaffId == "HY0101");
        await store.SaveCatalogAsync(withoutHer, demoStore: false, CancellationToken.None);
        await store.SaveCatalogAsync(withoutHer, demoStore: false, CancellationToken.None);

        var listed = await store.ListStaffIdentitiesAsync(CancellationToken.None);
        var her = Assert.Single(listed, s => s.StaffId == "HY0101");
        Assert.Equal("王晓燕", her.Name);
        Assert.Equal(before.FirstSeen, her.FirstSeen);
        Assert.Equal(before.LastSeen, her.LastSeen); // not seen again since she left
        Assert.Single(listed, s => s is { StaffId: "HY0199", Name: "新同事" });
        // Everyone on the current roster is listed, each once.
        Assert.All(withoutHer.Halls.SelectMany(h => h.Windows).SelectMany(w => w.Staff),
            s => Assert.Single(listed, l => l.StaffId == s.StaffId && l.Name == s.Name));
    }

    [Fact]
    public async Task StaffIdentities_OfAStoreMigratedTo13_TheRosterItHeldIsKeptWhenTheNextCatalogReplacesIt()
    {
        var store = _server.Services.GetRequiredService<ICatalogStore>();
        var catalog = (await store.LoadCatalogAsync(CancellationToken.None))!;
        // A store made before migration 13: a roster, and no staff identities yet.
        TestStore.Execute(_server.DatabasePath, _server.PostgresConnectionString, "DELETE FROM staff_identities");
        Assert.Empty(await store.ListStaffIdentitiesAsync(CancellationToken.None));

        await store.SaveCatalogAsync(WithoutStaff(catalog, "HY0101"), demoStore: false, CancellationToken.None);

        var listed = await store.ListStaffIdentitiesAsync(CancellationToken.None);
        Assert.Single(listed, s => s is { StaffId: "HY0101", Name: "王晓燕" });
        Assert.All(catalog.Halls.SelectMany(h => h.Windows).SelectMany(w => w.Staff),
            s => Assert.Single(listed, l => l.StaffId == s.StaffId && l.Name == s.Name));
    }

    [Fact]
    public async Task Catalog_EnglishNames_AreKeptWhereGivenAndAbsentWhereNot()
    {
        var store = _server.Services.GetRequiredService<ICatalogStore>();
        var demo = (await store.LoadCatalogAsync(CancellationToken.None))!;
        // The demo district names everything in English too; a district may give none for a department, a hall, a window,
        // an item or a tag: each is then stored as absent, not as an empty or a stale translation.
        Assert.All(demo.Departments, d => Assert.False(string.IsNullOrWhiteSpace(d.NameEn), d.Code));
        var bare = new DistrictCatalog(
            demo.RegionCode,
            demo.Departments.Select(d => d.Code == "RSJ" ? d with { NameEn = null, ShortNameEn = null } : d),
            demo.Halls.Select(h => h.Code == ServerFactory.HallCode
                ? h with { NameEn = null, OpeningHoursEn = null, Windows = [.. h.Windows.Select(w => w.Code == "B03" ? w with { NameEn = null } : w)] }
                : h),
            demo.ServiceItems.Select((i, n) => n == 0 ? i with { NameEn = null } : i),
            demo.ReasonTags with { Tags = [.. demo.ReasonTags.Tags.Select((t, n) => n == 0 ? t with { LabelEn = null } : t)] });

        await store.SaveCatalogAsync(bare, demoStore: false, CancellationToken.None);
        var loaded = (await store.LoadCatalogAsync(CancellationToken.None))!;

        Assert.Null(loaded.FindDepartment("RSJ")!.NameEn);
        Assert.Null(loaded.FindDepartment("RSJ")!.ShortNameEn);
        Assert.Equal("Administrative Approval", loaded.FindDepartment("XZSP")!.ShortNameEn);
        var hall = loaded.FindHall(ServerFactory.HallCode)!;
        Assert.Null(hall.NameEn);
        Assert.Null(hall.OpeningHoursEn);
        Assert.Null(hall.FindWindow("B03")!.NameEn);
        Assert.Equal("Business Start-up", hall.FindWindow("A01")!.NameEn);
        Assert.Equal("Zhangzhuang Road Subdistrict Service Center", loaded.FindHall("370104-ZZLJD")!.NameEn);
        Assert.Null(loaded.FindServiceItem(demo.ServiceItems.First().Code)!.NameEn);
        Assert.NotNull(loaded.FindServiceItem(demo.ServiceItems.Last().Code)!.NameEn);
        Assert.Null(loaded.ReasonTags.Tags[0].LabelEn);
        Assert.Equal(demo.ReasonTags.Tags[1].LabelEn, loaded.ReasonTags.Tags[1].LabelEn);
    }

    /// <summary>The catalog with the staff member off every window and a newcomer at A01.</summary>
    internal static DistrictCatalog WithoutStaff(DistrictCatalog catalog, string staffId) => new(
        catalog.RegionCode, catalog.Departments,
        catalog.Halls.Select(h => h with
        {
            Windows = h.Windows.Select(w => w with
            {
                Staff = [.. w.Staff.Where(s => s.StaffId != staffId), .. w.Code == "A01" ? [new Server.Domain.StaffMember("HY0199", "新同事", "窗口人员")] : Array.Empty<Server.Domain.StaffMember>()],
            }).ToList(),
        }).ToList(),
        catalog.ServiceItems, catalog.ReasonTags);

    [Fact]
    public async Task Migrations_AppliedOnce_AndAStartOnAMigratedStoreChangesNothing()
    {
        var schema = Schema; // starts the server, which migrates its new store
        Assert.Equal(StoreMigrations.All.Count, _server.Scalar("SELECT COUNT(*) FROM schema_migrations"));
        await schema.InitializeAsync(CancellationToken.None);
        Assert.Equal(StoreMigrations.All.Count, _server.Scalar("SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(StoreMigrations.Newest, _server.Scalar("SELECT MAX(version) FROM schema_migrations"));
    }

    [Fact]
    public async Task AStoreOfVersion3_WithItsCaseEvents_IsMigrated_AndItsCasesStillListed()
    {
        var bad = ServerFactory.GoodRating();
        bad.Level = Protos.V1.RatingLevel.VeryDissatisfied;
        bad.Text = "窗口无人";
        await _server.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { bad } });
        // The store as the server before migration 4 left it: the case's trail also in case_events.
        TestStore.Execute(_server.DatabasePath, _server.PostgresConnectionString,
            """
            CREATE TABLE case_events (case_id TEXT NOT NULL REFERENCES cases (id), sequence BIGINT NOT NULL, at_ms BIGINT NOT NULL,
                actor_id TEXT NOT NULL, actor_role BIGINT NOT NULL, kind BIGINT NOT NULL, from_state BIGINT NOT NULL, to_state BIGINT NOT NULL,
                note TEXT NULL, detail TEXT NOT NULL, PRIMARY KEY (case_id, sequence));
            INSERT INTO case_events SELECT id, 1, received_at_ms, 'system', 0, 1, 0, 1, NULL, '{}' FROM cases;
            DROP INDEX ix_cases_state_received;
            DELETE FROM schema_migrations WHERE version = 4;
            """);

        await Schema.InitializeAsync(CancellationToken.None);

        Assert.Equal(StoreMigrations.Newest, _server.Scalar("SELECT MAX(version) FROM schema_migrations"));
        Assert.Equal(0, _server.Scalar(TestStore.IsPostgres
            ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'case_events'"
            : "SELECT COUNT(*) FROM sqlite_master WHERE name = 'case_events'"));
        var listed = await Cases.ListCasesAsync(new CaseQuery([Server.Domain.CaseState.New]), CancellationToken.None);
        Assert.Equal(Guid.Parse(bad.RatingId), Assert.Single(listed.Cases).RatingId);
    }

    [Fact]
    public async Task AStoreBeforeCasesKeptTheRatingTime_IsMigrated_EachCaseGetsItsRatingsTime()
    {
        var bad = ServerFactory.GoodRating();
        bad.Level = Protos.V1.RatingLevel.VeryDissatisfied;
        bad.Text = "窗口无人";
        bad.RatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-30));
        await _server.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { bad } });
        // The store as the server before this migration left it: no rated_at_ms on cases (nor the later index that holds it).
        TestStore.Execute(_server.DatabasePath, _server.PostgresConnectionString,
            $"""
            DROP INDEX ix_cases_rated_handling;
            DROP INDEX ix_cases_rated_facts;
            DROP INDEX ix_ratings_late_rated;
            ALTER TABLE cases DROP COLUMN rated_at_ms;
            DELETE FROM schema_migrations WHERE version = {StoreMigrations.RatedPeriodVersion};
            """);

        await Schema.InitializeAsync(CancellationToken.None);

        var ratedAtMs = _server.Scalar("SELECT rated_at_ms FROM ratings WHERE id = @id", ("id", bad.RatingId));
        Assert.Equal(ratedAtMs, _server.Scalar("SELECT rated_at_ms FROM cases WHERE rating_id = @id", ("id", bad.RatingId)));
        Assert.NotEqual(ratedAtMs, _server.Scalar("SELECT received_at_ms FROM cases WHERE rating_id = @id", ("id", bad.RatingId)));
        var ratedAt = DateTimeOffset.FromUnixTimeMilliseconds(ratedAtMs);
        // Listed and counted at the instant its citizen rated.
        Assert.Equal(Guid.Parse(bad.RatingId), Assert.Single(await Cases.ListCasesRatedAsync(ratedAt, ratedAt.AddMilliseconds(1), CancellationToken.None)).RatingId);
        Assert.Equal(
            1, (await Cases.CountCasesAsync(ratedAt, ratedAt.AddMilliseconds(1), Scope.District, DateTimeOffset.UtcNow.AddDays(30), CancellationToken.None)).BadDue);
    }

    [Fact]
    public async Task AStoreOfVersion8_ItsDevicesGetTheKindTheirOwnRecordsShow()
    {
        var schema = Schema; // starts the server, which migrates its new store
        var devices = _server.Services.GetRequiredService<IKioskStore>();
        // The store as the server before the intake migration left it: no device kinds and no fraud-scan state (the other tables it
        // adds are left, as its CREATE ... IF NOT EXISTS allows, so the running server's jobs never meet a missing table);
        // three devices, one of which sent pad-channel ratings for A02, one that sent a heartbeat, one that never sent anything.
        TestStore.Execute(_server.DatabasePath, _server.PostgresConnectionString,
            $$"""
            DROP TABLE fraud_scan;
            ALTER TABLE kiosks DROP COLUMN window_code; ALTER TABLE kiosks DROP COLUMN device_kind;
            DELETE FROM schema_migrations WHERE version = {{StoreMigrations.IntakeIntegrityVersion}};
            INSERT INTO kiosks (device_id, hall_code, credential_hash, enrolled_at_ms, revoked_at_ms, heartbeat, first_enrolled_at_ms)
            VALUES ('old-pad', '370104-ZWZX', 'h1', 1790000000000, NULL, NULL, 1790000000000),
                   ('old-terminal', '370104-ZWZX', 'h2', 1790000000000, NULL, '{}', 1790000000000),
                   ('old-system', '370104-ZWZX', 'h3', 1790000000000, NULL, NULL, 1790000000000);
            INSERT INTO ratings (id, hall_code, region_code, window_code, department_code, channel, level, reason_tag_codes, rated_at_ms,
                received_at_ms, sequence, active, real_name, device_id)
            VALUES ('0197d5a0-0000-7000-8000-000000000011', '370104-ZWZX', '370104', 'A01', 'XZSP', 4, 1, '', 1790000000000,
                    1790000000000, 1, 1, 0, 'old-pad'),
                   ('0197d5a0-0000-7000-8000-000000000012', '370104-ZWZX', '370104', 'A02', 'XZSP', 4, 1, '', 1790000100000,
                    1790000100000, 1, 1, 0, 'old-pad');
            """);

        await schema.InitializeAsync(CancellationToken.None);

        var kiosks = (await devices.ListKiosksAsync(CancellationToken.None))
            .ToDictionary(k => k.DeviceId, k => (k.Kind, k.WindowCode));
        Assert.Equal((Server.Domain.DeviceKind.WindowPad, "A02"), kiosks["old-pad"]);
        Assert.Equal((Server.Domain.DeviceKind.HallTerminal, (string?)null), kiosks["old-terminal"]);
        Assert.Equal((Server.Domain.DeviceKind.WindowSystem, (string?)null), kiosks["old-system"]);
        Assert.Equal(StoreMigrations.Newest, _server.Scalar("SELECT MAX(version) FROM schema_migrations"));
        // The fraud scan starts after the ratings already stored.
        Assert.Equal(1790000100000, _server.Scalar("SELECT after_received_ms FROM fraud_scan WHERE id = 1"));
    }

    [Fact]
    public async Task AStoreNewerThanTheServer_IsRefusedAtStart()
    {
        var schema = Schema;
        TestStore.Execute(_server.DatabasePath, _server.PostgresConnectionString,
            "INSERT INTO schema_migrations (version, description, applied_at_ms) VALUES (999, 'from a newer server', 0)");

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => schema.InitializeAsync(CancellationToken.None));
        Assert.Contains("newer", refusal.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _server.Dispose();
}

/// <summary>
/// The SQLite file itself, whichever store the suite runs on: its durability settings, and a store made before migrations
/// existed (schema in PRAGMA user_version) brought up to date.
/// </summary>
public sealed class SqliteStoreFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("servicehall-legacy-").FullName;

    private string DatabasePath => Path.Combine(_directory, "servicehall.db");

    [Fact]
    public async Task AStoreOfSchemaVersion4_IsMigrated_AndItsRatingsTallied()
    {
        using (var old = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = StoreMigrations.All[0].Sql + """
                PRAGMA user_version = 4;
                INSERT INTO ratings (id, hall_code, region_code, department_code, channel, level, reason_tag_codes, rated_at_ms,
                    received_at_ms, sequence, active, real_name)
                VALUES ('0197d5a0-0000-7000-8000-000000000001', '370104-ZWZX', '370104', 'XZSP', 1, 2, '', 1790000000000,
                    1790000000000, 1, 1, 0);
                """;
            command.ExecuteNonQuery();
        }

        var (schema, ratings, _) = SqliteStores();
        await schema.InitializeAsync(CancellationToken.None);

        Assert.Equal(StoreMigrations.All.Count, TestStore.Scalar(DatabasePath, null, "SELECT COUNT(*) FROM schema_migrations"));
        // A case is stored once, as its snapshot: the table that repeated its trail is gone.
        Assert.Equal(0, TestStore.Scalar(DatabasePath, null, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'case_events'"));
        var day = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000).ToOffset(TimeSpan.FromHours(8)).DateTime);
        var tallies = await ratings.TallyRatingsAsync(day, day, Scope.District, CancellationToken.None);
        Assert.Equal(Server.Domain.RatingLevel.Satisfied, Assert.Single(tallies).Level);
    }

    [Fact]
    public async Task EveryConnection_CommitsWithFsync_InWalMode_WithForeignKeys()
    {
        var (schema, _, database) = SqliteStores();
        await schema.InitializeAsync(CancellationToken.None);

        // FULL (2): a rating acknowledged to a kiosk is on disk, not in a cache, when the kiosk is told so.
        Assert.Equal("2", await database.ReadPragmaAsync("synchronous"));
        Assert.Equal("1", await database.ReadPragmaAsync("foreign_keys"));
        Assert.Equal("wal", await database.ReadPragmaAsync("journal_mode"));
    }

    [Fact]
    public async Task AStoreOfAnUnknownPragmaVersion_IsRefused()
    {
        using (var old = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = "CREATE TABLE ratings (id TEXT); PRAGMA user_version = 3;";
            command.ExecuteNonQuery();
        }

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteStores().Schema.InitializeAsync(CancellationToken.None));
        Assert.Contains("version 3", refusal.Message, StringComparison.Ordinal);
    }

    private (StoreSchema Schema, RatingStore Ratings, SqliteStoreDatabase Database) SqliteStores()
    {
        var database = new SqliteStoreDatabase(Options.Create(new StorageOptions { DatabasePath = DatabasePath }), new FixedEnvironment(_directory));
        var tallies = new RatingTallies(database, new DistrictClock(TimeProvider.System, Options.Create(new DistrictOptions())));
        var ratings = new RatingStore(database, tallies, new ContactProtector(new EphemeralDataProtectionProvider()));
        var limits = new CaseTimeLimits(WorkingCalendar.Load([], TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")), new CaseDeadlinePolicy());
        return (new StoreSchema(database, ratings, limits), ratings, database);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class FixedEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "ServiceHall.Server";

        public string ContentRootPath { get; set; } = root;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}

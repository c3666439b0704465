using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using ServiceHall.Protos.V1;

namespace ServiceHall.Bench;

/// <summary>
/// Handling figures (CaseService.GetHandlingFigures) for December, Q4 and last year with a large number of 差评 cases stored,
/// beside the same figures counted by reading every case: how much the handling rollup (summed in buckets of rated days, kept with every
/// case step) saves. The cases are written straight into the store's tables (the load is not what is measured; the rating path has
/// its own stages), spread over last year with a realistic mix of states and facts.
/// </summary>
internal static class HandlingStage
{
    public const string Flag = "--only-handling";

    private const int Runs = 5;
    private const string Hall = "370104-ZWZX";
    private const string StaffUser = "bench-supervisor";
    private const string StaffPassword = "bench supervisor password";
    private static readonly TimeZoneInfo District = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly string[] Departments = ["XZSP", "RSJ", "YBJ", "MZJ", "JTJ", "SCJGJ"];
    private static readonly string[] Windows = ["A01", "A02", "A03", "A04", "B01", "B02"];

    // CaseState numbers as the server stores them (server/Domain/CaseState.cs): most cases of a past year are closed.
    private const long Closed = 10;
    private static readonly long[] OpenStates = [1, 2, 3, 4, 5, 6, 7, 9];

    public const string Usage = """
        ServiceHall.Bench --only-handling [--cases N] [--postgres CONN]
            Handling figures for a month, a quarter and a year with N 差评 cases stored (default 1000000), on SQLite and,
            with --postgres, on PostgreSQL; beside the same figures counted by reading every case.
        """;

    public static async Task<int> RunAsync(string[] args, string repository, string serverDll, CancellationToken cancellationToken)
    {
        var cases = 1_000_000;
        string? postgres = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--cases" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    cases = n;
                    i++;
                    break;
                case "--postgres" when i + 1 < args.Length:
                    postgres = args[++i];
                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown or incomplete option {args[i]}\n\n{Usage}");
                    return 2;
            }
        }

        var rows = new List<string>();
        var problems = new List<string>();
        async Task MeasureAsync(string target, Dictionary<string, string> settings, Func<ServerProcess, CaseTable> tableOf)
        {
            Progress.Say($"{target}: starting the server");
            settings["Publishing__CheckSeconds"] = "86400"; // no disclosure drafting while the figures are timed
            await using var server = await ServerProcess.StartAsync(
                serverDll, settings, [("bench-handling-01", Hall)], cancellationToken,
                [["accounts", "add", "--user", StaffUser, "--name", "督办", "--role", "supervisor", "--district"]], StaffPassword);
            var table = tableOf(server);
            Progress.Say($"{target}: writing {cases:N0} cases over {Year}");
            var load = Stopwatch.StartNew();
            await table.InsertAsync(cases, cancellationToken);
            load.Stop();
            rows.Add($"| {target} | load | {cases:N0} cases written straight into the tables | {load.Elapsed.TotalSeconds:0.0} s | | |");
            // Written behind the server's back, so its handling rollup is summed afresh from them, as after a bulk import.
            Progress.Say($"{target}: rebuilding the handling rollup");
            var rebuild = Stopwatch.StartNew();
            await server.RunCommandAsync(["store", "rebuild-handling-rollup"], cancellationToken);
            rebuild.Stop();
            rows.Add($"| {target} | rollup | the handling rollup summed afresh from every case (`store rebuild-handling-rollup`) | {rebuild.Elapsed.TotalSeconds:0.0} s | | |");

            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(server.GrpcAddress);
            var token = (await new AccountService.AccountServiceClient(channel).SignInAsync(
                new SignInRequest { UserName = StaffUser, Password = StaffPassword }, cancellationToken: cancellationToken)).AccessToken;
            var headers = new Metadata { { "authorization", "Bearer " + token } };
            var client = new CaseService.CaseServiceClient(channel);
            foreach (var (name, first, last) in Periods())
            {
                Progress.Say($"{target}: {name}");
                var request = new GetHandlingFiguresRequest
                {
                    FromDay = first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ToDay = last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                };
                var (from, to) = (Start(first), Start(last.AddDays(1)));
                GetHandlingFiguresResponse? answer = null;
                var served = await MedianAsync(async () => answer = await client.GetHandlingFiguresAsync(
                    request, headers, DateTime.UtcNow.AddMinutes(10), cancellationToken));
                FullScanFigures? scanned = null;
                var scan = await MedianAsync(async () => scanned = await table.ScanAsync(from, to, DateTimeOffset.UtcNow, cancellationToken));
                var received = answer!.Period.Total.Received;
                var inTime = answer.Period.Total.Rates.Single(r => r.Code == "rectified_in_time_rate");
                if (received != scanned!.Received || answer.Period.Total.Open != scanned.Open || inTime.Numerator != scanned.RectifiedInTime || inTime.Denominator != scanned.Due)
                {
                    problems.Add($"{target}, {name}: the server counted {received} received / {answer.Period.Total.Open} open / {inTime.Numerator}/{inTime.Denominator} on time, " +
                        $"the full scan {scanned.Received} / {scanned.Open} / {scanned.RectifiedInTime}/{scanned.Due}");
                }

                rows.Add($"| {target} | {name} | {received:N0} cases in the period; 按时整改率 {inTime.Display} | {Ms(served)} | {Ms(scan)} | {scan.TotalMilliseconds / served.TotalMilliseconds:0.0}× |");
            }

            if (server.HasExited)
            {
                problems.Add($"{target}: the server exited during the run:\n{server.LogTail()}");
            }
        }

        // A store that fails is a problem in the report; the other store still runs and the report is still written.
        async Task AttemptAsync(string target, Func<Task> measure)
        {
            try
            {
                await measure();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                problems.Add($"{target}: {e.GetType().Name}: {e.Message}");
            }
        }

        await AttemptAsync("SQLite", () => MeasureAsync("SQLite", [], server => new SqliteCaseTable(server.DatabasePath)));
        if (postgres is not null)
        {
            await AttemptAsync("PostgreSQL", async () =>
            {
                await using var database = await PostgresScratchDatabase.CreateAsync(postgres, cancellationToken);
                await MeasureAsync(
                    "PostgreSQL", new Dictionary<string, string> { ["Storage__PostgresConnectionString"] = database.ConnectionString },
                    _ => new PostgresCaseTable(database.ConnectionString));
            });
        }

        var markdown = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Handling figures with {cases:N0} cases stored")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average at the end {LoadAverage()}.")
            .AppendLine(CultureInfo.InvariantCulture, $"Cases spread evenly over {Year}; median of {Runs} runs after one warm-up. \"Server\" is CaseService.GetHandlingFigures over gRPC")
            .AppendLine("(the total, each department, stages, rates and medians, read from the handling rollup in buckets of 1, 8 and 64 rated days,")
            .AppendLine("with working days to each milestone, and the few cases whose deadlines are still ahead); \"full scan\" reads every case's facts and counts")
            .AppendLine("received, open and 按时整改率 in the bench.")
            .AppendLine()
            .AppendLine("| Store | Period | What | Server | Full scan | Full scan ÷ server |")
            .AppendLine("|---|---|---|---:|---:|---:|");
        rows.ForEach(r => markdown.AppendLine(r));
        if (problems.Count > 0)
        {
            markdown.AppendLine().AppendLine("## Problems").AppendLine();
            problems.ForEach(p => markdown.AppendLine("- " + p));
        }

        Console.WriteLine(markdown);
        var results = Path.Combine(repository, "bench", "results", "handling-latest.md");
        await File.WriteAllTextAsync(results, markdown.ToString(), CancellationToken.None);
        Progress.Say($"written to {results}");
        return problems.Count > 0 ? 1 : 0;
    }

    /// <summary>The last full calendar year in the district.</summary>
    public static int Year => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, District).Year - 1;

    private static IEnumerable<(string Name, DateOnly First, DateOnly Last)> Periods() =>
    [
        ($"{Year}-12", new DateOnly(Year, 12, 1), new DateOnly(Year, 12, 31)),
        ($"{Year}-Q4", new DateOnly(Year, 10, 1), new DateOnly(Year, 12, 31)),
        ($"{Year}", new DateOnly(Year, 1, 1), new DateOnly(Year, 12, 31)),
    ];

    private static DateTimeOffset Start(DateOnly day) =>
        new(day.ToDateTime(TimeOnly.MinValue), District.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue)));

    private static async Task<TimeSpan> MedianAsync(Func<Task> run)
    {
        await run(); // warm-up: the first call compiles and fills the page cache
        var times = new List<TimeSpan>();
        for (var i = 0; i < Runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await run();
            times.Add(Stopwatch.GetElapsedTime(start));
        }

        return times.Order().ElementAt(Runs / 2);
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString(t.TotalMilliseconds < 100 ? "0.0" : "N0", CultureInfo.InvariantCulture) + " ms";

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>What the full scan counts, to hold the server's answer to.</summary>
    internal sealed record FullScanFigures(int Received, int Open, int Due, int RectifiedInTime);

    /// <summary>One generated case: its rating and the facts the store keeps beside it.</summary>
    internal readonly record struct CaseRow(
        string CaseId, string RatingId, string Department, string Window, long State, long RatedAtMs, bool RealName, bool Closed, bool InTime,
        bool CalledBack, bool Asked, bool Satisfied, long ContactDueMs, long RectificationDueMs, long? ReachedAtMs, long? FeedbackAtMs, int Level, int Channel);

    /// <summary>The <paramref name="count"/> cases of <see cref="Year"/>, oldest first, the same every run (a fixed seed).</summary>
    internal static IEnumerable<CaseRow> Generate(int count)
    {
        var random = new Random(15);
        var start = Start(new DateOnly(Year, 1, 1)).ToUnixTimeMilliseconds();
        var span = Start(new DateOnly(Year + 1, 1, 1)).ToUnixTimeMilliseconds() - start;
        for (var i = 0; i < count; i++)
        {
            var rated = start + (long)(span * ((i + 0.5) / count));
            var closed = random.NextDouble() < 0.9;
            var state = closed ? Closed : OpenStates[random.Next(OpenStates.Length)];
            var realName = random.NextDouble() < 0.6;
            var reached = realName && (closed || state >= 3) ? rated + random.Next(1, 30) * 3_600_000L : (long?)null;
            var feedback = closed || state == 9 ? rated + random.Next(1, 8) * 86_400_000L : (long?)null;
            var asked = realName && closed && random.NextDouble() < 0.8;
            yield return new CaseRow(
                TimeOrderedId(rated, random), TimeOrderedId(rated, random),
                Departments[random.Next(Departments.Length)], Windows[random.Next(Windows.Length)], state, rated, realName,
                closed, closed && random.NextDouble() < 0.92, reached is not null, asked, asked && random.NextDouble() < 0.85,
                rated + 86_400_000L, rated + 5 * 86_400_000L, reached, feedback, random.Next(4, 6), random.Next(1, 6));
        }
    }

    // A version-7-shaped id from the seeded generator, so that every pass over Generate makes the same ids (the PostgreSQL
    // load copies the ratings and the cases in two passes, and each case must find its rating).
    private static string TimeOrderedId(long unixMs, Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes[6..]);
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(unixMs >> (8 * (5 - i)));
        }

        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true).ToString();
    }

    internal const string ScanSql =
        "SELECT rated_at_ms, state, appeal_upheld, closed, rectified_in_time, rectification_due_ms FROM cases";

    internal static async Task<FullScanFigures> CountAsync(DbDataReader reader, long fromMs, long toMs, long nowMs, CancellationToken cancellationToken)
    {
        int received = 0, open = 0, due = 0, inTime = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var rated = reader.GetInt64(0);
            if (rated < fromMs || rated >= toMs)
            {
                continue;
            }

            received++;
            var closed = reader.GetInt64(3) == 1;
            open += reader.GetInt64(1) == Closed ? 0 : 1;
            if (reader.GetInt64(2) == 0 && (closed || reader.GetInt64(5) < nowMs))
            {
                due++;
                inTime += (int)reader.GetInt64(4);
            }
        }

        return new FullScanFigures(received, open, due, inTime);
    }
}

/// <summary>The store's ratings and cases tables, written and scanned directly by the bench.</summary>
internal abstract class CaseTable
{
    protected const string RatingColumns =
        "id, hall_code, region_code, window_code, department_code, channel, level, reason_tag_codes, rated_at_ms, received_at_ms, sequence, active, real_name";

    protected const string CaseColumns =
        "id, rating_id, hall_code, department_code, window_code, state, received_at_ms, event_count, snapshot, appeal_upheld, closed, rectified, " +
        "rectified_in_time, real_name, called_back, rater_asked, rater_satisfied, rectification_due_ms, contact_due_ms, rated_at_ms, reached_at_ms, " +
        "first_feedback_at_ms";

    public abstract Task InsertAsync(int count, CancellationToken cancellationToken);

    public async Task<HandlingStage.FullScanFigures> ScanAsync(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = HandlingStage.ScanSql;
        command.CommandTimeout = 600;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await HandlingStage.CountAsync(reader, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), cancellationToken);
    }

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}

internal sealed class SqliteCaseTable(string path) : CaseTable
{
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 600 }.ToString());
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public override async Task InsertAsync(int count, CancellationToken cancellationToken)
    {
        await using var connection = (SqliteConnection)await OpenAsync(cancellationToken);
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = OFF";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        // One transaction per 100,000 rows, prepared statements with bound parameters.
        const int PerTransaction = 100_000;
        using var rows = HandlingStage.Generate(count).GetEnumerator();
        var written = 0;
        while (written < count)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var rating = connection.CreateCommand();
            rating.Transaction = transaction;
            rating.CommandText = $"INSERT INTO ratings ({RatingColumns}) VALUES (@id, @hall, '370104', @window, @department, @channel, @level, '', @rated, @rated, @sequence, 1, @real)";
            await using var @case = connection.CreateCommand();
            @case.Transaction = transaction;
            @case.CommandText = $"INSERT INTO cases ({CaseColumns}) VALUES (@id, @rating, @hall, @department, @window, @state, @rated, 1, '{{}}', 0, @closed, @closed, " +
                "@inTime, @real, @calledBack, @asked, @satisfied, @rectificationDue, @contactDue, @rated, @reached, @feedback)";
            var r = Parameters(rating, "id", "hall", "window", "department", "channel", "level", "rated", "sequence", "real");
            var c = Parameters(@case, "id", "rating", "hall", "department", "window", "state", "rated", "closed", "inTime", "real", "calledBack", "asked",
                "satisfied", "rectificationDue", "contactDue", "reached", "feedback");
            for (var i = 0; i < PerTransaction && rows.MoveNext(); i++, written++)
            {
                var x = rows.Current;
                (r["id"].Value, r["hall"].Value, r["window"].Value, r["department"].Value, r["channel"].Value, r["level"].Value, r["rated"].Value,
                    r["sequence"].Value, r["real"].Value) = (x.RatingId, "370104-ZWZX", x.Window, x.Department, x.Channel, x.Level, x.RatedAtMs, written, x.RealName ? 1 : 0);
                await rating.ExecuteNonQueryAsync(cancellationToken);
                (c["id"].Value, c["rating"].Value, c["hall"].Value, c["department"].Value, c["window"].Value, c["state"].Value, c["rated"].Value) =
                    (x.CaseId, x.RatingId, "370104-ZWZX", x.Department, x.Window, x.State, x.RatedAtMs);
                (c["closed"].Value, c["inTime"].Value, c["real"].Value, c["calledBack"].Value, c["asked"].Value, c["satisfied"].Value) =
                    (x.Closed ? 1 : 0, x.InTime ? 1 : 0, x.RealName ? 1 : 0, x.CalledBack ? 1 : 0, x.Asked ? 1 : 0, x.Satisfied ? 1 : 0);
                (c["rectificationDue"].Value, c["contactDue"].Value, c["reached"].Value, c["feedback"].Value) =
                    (x.RectificationDueMs, x.ContactDueMs, (object?)x.ReachedAtMs ?? DBNull.Value, (object?)x.FeedbackAtMs ?? DBNull.Value);
                await @case.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            Progress.Say($"  {written:N0} cases written");
        }
    }

    private static Dictionary<string, SqliteParameter> Parameters(SqliteCommand command, params string[] names) =>
        names.ToDictionary(n => n, n => command.Parameters.Add(new SqliteParameter("@" + n, null)));
}

internal sealed class PostgresCaseTable(string connectionString) : CaseTable
{
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        // No time limit: a binary COPY of a million rows on a busy machine can wait on the server longer than the default 30 s.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public override async Task InsertAsync(int count, CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)await OpenAsync(cancellationToken);
        // Binary COPY: the ratings first (the cases refer to them), then the cases, in one pass each.
        await using (var ratings = await connection.BeginBinaryImportAsync($"COPY ratings ({RatingColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            var sequence = 0L;
            foreach (var x in HandlingStage.Generate(count))
            {
                await ratings.StartRowAsync(cancellationToken);
                await ratings.WriteAsync(x.RatingId, NpgsqlDbType.Text, cancellationToken);
                await ratings.WriteAsync("370104-ZWZX", NpgsqlDbType.Text, cancellationToken);
                await ratings.WriteAsync("370104", NpgsqlDbType.Text, cancellationToken);
                await ratings.WriteAsync(x.Window, NpgsqlDbType.Text, cancellationToken);
                await ratings.WriteAsync(x.Department, NpgsqlDbType.Text, cancellationToken);
                await ratings.WriteAsync((long)x.Channel, NpgsqlDbType.Bigint, cancellationToken);
                await ratings.WriteAsync((long)x.Level, NpgsqlDbType.Bigint, cancellationToken);
                await ratings.WriteAsync("", NpgsqlDbType.Text, cancellationToken);
                await ratings.WriteAsync(x.RatedAtMs, NpgsqlDbType.Bigint, cancellationToken);
                await ratings.WriteAsync(x.RatedAtMs, NpgsqlDbType.Bigint, cancellationToken);
                await ratings.WriteAsync(sequence++, NpgsqlDbType.Bigint, cancellationToken);
                await ratings.WriteAsync(1L, NpgsqlDbType.Bigint, cancellationToken);
                await ratings.WriteAsync(x.RealName ? 1L : 0L, NpgsqlDbType.Bigint, cancellationToken);
            }

            await ratings.CompleteAsync(cancellationToken);
        }

        Progress.Say($"  {count:N0} ratings copied");
        await using (var cases = await connection.BeginBinaryImportAsync($"COPY cases ({CaseColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var x in HandlingStage.Generate(count))
            {
                await cases.StartRowAsync(cancellationToken);
                await cases.WriteAsync(x.CaseId, NpgsqlDbType.Text, cancellationToken);
                await cases.WriteAsync(x.RatingId, NpgsqlDbType.Text, cancellationToken);
                await cases.WriteAsync("370104-ZWZX", NpgsqlDbType.Text, cancellationToken);
                await cases.WriteAsync(x.Department, NpgsqlDbType.Text, cancellationToken);
                await cases.WriteAsync(x.Window, NpgsqlDbType.Text, cancellationToken);
                await cases.WriteAsync(x.State, NpgsqlDbType.Bigint, cancellationToken);
                await cases.WriteAsync(x.RatedAtMs, NpgsqlDbType.Bigint, cancellationToken);
                await cases.WriteAsync(1L, NpgsqlDbType.Bigint, cancellationToken);
                await cases.WriteAsync("{}", NpgsqlDbType.Text, cancellationToken);
                await cases.WriteAsync(0L, NpgsqlDbType.Bigint, cancellationToken);
                await cases.WriteAsync(x.Closed ? 1L : 0L, NpgsqlDbType.Bigint, cancellationToken);
                await cases.WriteAsync(x.Closed ? 1L : 0L, NpgsqlDbType.Bigint, cancellationToken);
                await cases.WriteAsync(x.InTime ? 1L : 0L, NpgsqlDbType.Bigint, cancellationToken);
                await cases.WriteAsync(x.RealName ? 1L : 0L, NpgsqlDbType.Bigint, cancellationToken);
                await cases.WriteAsync(x.CalledBack ? 1L : 0L, NpgsqlDbType.Bigint, cancellationToken);
                await cases.WriteAsync(x.Asked ? 1L : 0L, NpgsqlDbType.Bigint, cancellationToken);
                await cases.WriteAsync(x.Satisfied ? 1L : 0L, NpgsqlDbType.Bigint, cancellationToken);
                await cases.WriteAsync(x.RectificationDueMs, NpgsqlDbType.Bigint, cancellationToken);
                await cases.WriteAsync(x.ContactDueMs, NpgsqlDbType.Bigint, cancellationToken);
                await cases.WriteAsync(x.RatedAtMs, NpgsqlDbType.Bigint, cancellationToken);
                await WriteNullableAsync(cases, x.ReachedAtMs, cancellationToken);
                await WriteNullableAsync(cases, x.FeedbackAtMs, cancellationToken);
            }

            await cases.CompleteAsync(cancellationToken);
        }

        await using var analyze = new NpgsqlCommand("ANALYZE cases; ANALYZE ratings", connection);
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter importer, long? value, CancellationToken cancellationToken)
    {
        if (value is { } v)
        {
            await importer.WriteAsync(v, NpgsqlDbType.Bigint, cancellationToken);
        }
        else
        {
            await importer.WriteNullAsync(cancellationToken);
        }
    }
}

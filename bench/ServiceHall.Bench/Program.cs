// Measures the rating path over real gRPC on loopback and prints Markdown tables (also written to
// bench/results/latest.md). Arguments are parsed by hand; there are a handful.
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using ServiceHall.Bench;
using ServiceHall.Bench.Fleet;

const string Usage = """
    ServiceHall.Bench: submit throughput and latency (echo ceiling, real server on SQLite and PostgreSQL), live-feed lag
    at 1,000 ratings/s, indicator timings over a year of ratings, and the server's memory.

    The real server must be built first; the bench runs server/bin/Release/net10.0/ServiceHall.Server.dll:
        dotnet build -c Release server
        dotnet run -c Release --project bench/ServiceHall.Bench -- [options]

      --postgres CONN          also run the server on PostgreSQL; CONN may CREATE DATABASE (a scratch database
                               servicehall_bench_<random> is made for the run and dropped after)
      --seconds N              length of each measured run (default 10)
      --callers N              concurrent callers for the submit runs (default 64; the bulk load uses at most 16)
      --indicator-ratings N,…  stored ratings (spread over last year) at which the indicators are timed; each step
                               loads what the one before did not (default 1000000,10000000)
      --kiosk-ratings N        ratings made through a kiosk's screen in Chromium for its memory (default 300; 0 skips)
      --skip-indicators        leave the indicator stage out
      --only-echo              run the echo ceiling only: what this machine and gRPC allow (no server build needed)

    """ + HandlingStage.Usage;

if (args is [EchoServer.ServeFlag])
{
    return await EchoServer.ServeAsync();
}

if (args is ["-h" or "--help", ..])
{
    Console.WriteLine(Usage);
    return 0;
}

if (args is [HandlingStage.Flag, ..])
{
    var root = BenchOptions.FindRepository();
    var dll = Path.Combine(root, "server", "bin", "Release", "net10.0", "ServiceHall.Server.dll");
    if (!File.Exists(dll))
    {
        await Console.Error.WriteLineAsync($"{dll} is missing: build the server first (dotnet build -c Release server).");
        return 2;
    }

    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    return await HandlingStage.RunAsync(args, root, dll, stop.Token);
}

if (!BenchOptions.TryParse(args, out var options, out var error))
{
    await Console.Error.WriteLineAsync($"{error}\n\n{Usage}");
    return 2;
}

var repository = BenchOptions.FindRepository();
var serverDll = Path.Combine(repository, "server", "bin", "Release", "net10.0", "ServiceHall.Server.dll");
if (!options.OnlyEcho && !File.Exists(serverDll))
{
    await Console.Error.WriteLineAsync($"{serverDll} is missing: build the server first (dotnet build -c Release server).");
    return 2;
}

const string LoadHall = "370104-ZWZX";
const string LiveHall = "370104-ZZLJD";
// Eight kiosks carry the load; the live-feed hall has its own two, so its figures start from a quiet day.
IReadOnlyList<(string DeviceId, string HallCode)> kioskLayout =
[
    .. Enumerable.Range(1, 8).Select(i => ($"bench-zwzx-{i:00}", LoadHall)),
    .. Enumerable.Range(1, 2).Select(i => ($"bench-zzljd-{i:00}", LiveHall)),
];

var factory = new RatingFactory(DemoCatalog.Load(Path.Combine(repository, "server", "Storage", "demo-district.json")));
var report = new Report(options, serverDll, repository);
var duration = TimeSpan.FromSeconds(options.Seconds);
// Long enough for the JIT's tiered compilation to reach its optimised code in both processes (2 s was not, on 2 cores).
var warmUp = TimeSpan.FromSeconds(5);
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};
var cancellationToken = interrupt.Token;

try
{
    await report.AttemptAsync("Echo", RunEchoAsync, cancellationToken);
    if (!options.OnlyEcho)
    {
        await report.AttemptAsync("SQLite", () => RunServerAsync("Server · SQLite", new Dictionary<string, string>(), server => new SqliteStoreProbe(server.DatabasePath), kioskDay: true), cancellationToken);
    }

    if (!options.OnlyEcho && options.Postgres is { } postgres)
    {
        await report.AttemptAsync("PostgreSQL", async () =>
        {
            await using var database = await PostgresScratchDatabase.CreateAsync(postgres, cancellationToken);
            Progress.Say($"PostgreSQL: scratch database {database.Name}");
            await RunServerAsync(
                "Server · PostgreSQL",
                new Dictionary<string, string> { ["Storage__PostgresConnectionString"] = database.ConnectionString },
                _ => new PostgresStoreProbe(database.ConnectionString),
                kioskDay: false);
        }, cancellationToken);
    }
}
catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
{
    report.Problem("interrupted: the tables hold the stages that finished");
}

var markdown = report.ToMarkdown();
Console.WriteLine(markdown);
var results = Path.Combine(repository, "bench", "results", "latest.md");
Directory.CreateDirectory(Path.GetDirectoryName(results)!);
await File.WriteAllTextAsync(results, markdown, CancellationToken.None);
Progress.Say($"written to {results}");
return report.HasProblems ? 1 : 0;

async Task RunEchoAsync()
{
    Progress.Say("Echo: server process");
    await using var echo = await EchoServer.StartAsync(cancellationToken);
    // The echo checks no credential, but one of the real size goes with every call.
    var credential = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=');
    var kiosks = KioskConnection.OpenAll(
        echo.Address, kioskLayout.Where(k => k.HallCode == LoadHall).Select(k => new KioskIdentity(k.DeviceId, k.HallCode, credential)));
    try
    {
        foreach (var batch in new[] { 1, 50 })
        {
            await report.AttemptAsync($"Echo, batch {batch}", async () =>
            {
                Progress.Say($"Echo: batch {batch}, {options.Callers} callers, {options.Seconds} s");
                var cpu = CpuUse.Start(echo.Pid, postgres: false);
                var result = await LoadRun.RunAsync(kiosks, factory, new LoadSettings(options.Callers, batch, duration, warmUp), cancellationToken);
                report.AddCpu("Echo (server process, no storage)", $"batch {batch}", result.WarmUp.Stored + result.Tally.Stored, cpu.Stop());
                report.AddSubmit("Echo (server process, no storage)", result, check: null);
            }, cancellationToken);
        }
    }
    finally
    {
        Dispose(kiosks);
    }
}

async Task RunServerAsync(string target, Dictionary<string, string> storeSettings, Func<ServerProcess, StoreProbe> probeOf, bool kioskDay)
{
    Progress.Say($"{target}: enrolling {kioskLayout.Count} kiosks, starting the server");
    await using var server = await ServerProcess.StartAsync(serverDll, storeSettings, kioskLayout, cancellationToken);
    var store = probeOf(server);
    await EnsureStoreIsUsedAsync(store);
    var loadKiosks = KioskConnection.OpenAll(server.GrpcAddress, server.Kiosks.Where(k => k.HallCode == LoadHall));
    var liveKiosks = KioskConnection.OpenAll(server.GrpcAddress, server.Kiosks.Where(k => k.HallCode == LiveHall));
    try
    {
        // Every STORED answer on this server so far, warm-ups included: the ratings table must hold exactly these.
        long answeredStored = 0;
        foreach (var batch in new[] { 1, 50 })
        {
            await report.AttemptAsync($"{target}, batch {batch}", async () =>
            {
                Progress.Say($"{target}: batch {batch}, {options.Callers} callers, {options.Seconds} s");
                var memory = ResidentMemoryWatch.Start(server.Pid);
                var cpu = CpuUse.Start(server.Pid, postgres: storeSettings.ContainsKey("Storage__PostgresConnectionString"));
                var result = await LoadRun.RunAsync(loadKiosks, factory, new LoadSettings(options.Callers, batch, duration, warmUp), cancellationToken);
                report.AddCpu(target, $"batch {batch}", result.WarmUp.Stored + result.Tally.Stored, cpu.Stop());
                report.AddMemory(target, $"submit, batch {batch}", await memory.StopAsync());
                answeredStored += result.WarmUp.Stored + result.Tally.Stored;
                report.AddSubmit(target, result, new StoreCheck(answeredStored, await store.CountRatingsAsync(cancellationToken)));
            }, cancellationToken);
        }

        await report.AttemptAsync($"{target}, live feed", async () =>
        {
            Progress.Say($"{target}: live feed at {LiveFeedRun.RatingsPerSecond:N0} ratings/s, {options.Seconds} s");
            var memory = ResidentMemoryWatch.Start(server.Pid);
            var result = await LiveFeedRun.RunAsync(server.GrpcAddress, liveKiosks, factory, duration, cancellationToken);
            report.AddMemory(target, "live feed", await memory.StopAsync());
            report.AddLive(target, result);
        }, cancellationToken);

        if (kioskDay && options.KioskRatings > 0)
        {
            await report.AttemptAsync("Kiosk day", async () =>
            {
                Progress.Say($"Kiosk: {options.KioskRatings} ratings through the screen");
                var memory = ResidentMemoryWatch.Start(server.Pid);
                report.AddKioskDay(await KioskDayStage.RunAsync(repository, server, options.KioskRatings, cancellationToken));
                report.AddMemory(target, "kiosk day (the kiosk's calls)", await memory.StopAsync());
            }, cancellationToken);
        }

        if (!options.SkipIndicators)
        {
            await report.AttemptAsync($"{target}, indicators", async () =>
            {
                var loaded = 0;
                long storedSoFar = 0;
                foreach (var step in options.IndicatorSteps)
                {
                    Progress.Say($"{target}: loading {step - loaded:N0} ratings over {IndicatorStage.Year}, {step:N0} in all");
                    var memory = ResidentMemoryWatch.Start(server.Pid);
                    var load = await IndicatorStage.LoadYearAsync(loadKiosks, factory, step - loaded, options.Callers, cancellationToken);
                    report.AddMemory(target, $"bulk load to {step:N0}", await memory.StopAsync());
                    loaded = step;
                    storedSoFar += load.Tally.Stored;
                    report.AddLoad(target, load, await IndicatorStage.CountRatingsInYearAsync(store, cancellationToken), storedSoFar);

                    Progress.Say($"{target}: indicator queries over {step:N0}");
                    using var channel = KioskConnection.OpenChannel(server.GrpcAddress);
                    report.AddIndicators($"{target} · {step:N0}", await IndicatorStage.TimeQueriesAsync(channel, store, cancellationToken));
                }
            }, cancellationToken);
        }

        if (server.HasExited)
        {
            report.Problem($"{target}: the server exited during the run:\n{server.LogTail()}");
        }
    }
    finally
    {
        Dispose(loadKiosks);
        Dispose(liveKiosks);
    }
}

// A PostgreSQL row is only one if the server put its tables there, not in a SQLite file beside it.
async Task EnsureStoreIsUsedAsync(StoreProbe store)
{
    try
    {
        await store.CountRatingsAsync(cancellationToken);
    }
    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
    {
        throw new InvalidOperationException(
            "the server created no ratings table in the PostgreSQL database: it does not use Storage:PostgresConnectionString", e);
    }
}

static void Dispose(IEnumerable<IDisposable> items)
{
    foreach (var item in items)
    {
        item.Dispose();
    }
}

/// <summary>The command line, checked.</summary>
internal sealed record BenchOptions(
    string? Postgres, int Seconds, int Callers, IReadOnlyList<int> IndicatorSteps, bool SkipIndicators, bool OnlyEcho, int KioskRatings)
{
    /// <summary>The stored ratings at which the indicators are timed, in order; the last is the most the stage loads.</summary>
    public int IndicatorRatings => IndicatorSteps[^1];

    public static bool TryParse(string[] args, out BenchOptions options, out string? error)
    {
        options = new BenchOptions(
            null, Seconds: 10, Callers: 64, IndicatorSteps: [1_000_000, 10_000_000], SkipIndicators: false, OnlyEcho: false, KioskRatings: 300);
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            int? Count() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
            var name = args[i];
            switch (name)
            {
                case "--postgres" when Value() is { Length: > 0 } connection:
                    options = options with { Postgres = connection };
                    break;
                case "--seconds" when Count() is { } seconds:
                    options = options with { Seconds = seconds };
                    break;
                case "--callers" when Count() is { } callers:
                    options = options with { Callers = callers };
                    break;
                case "--indicator-ratings" when Steps(Value()) is { } steps:
                    options = options with { IndicatorSteps = steps };
                    break;
                case "--kiosk-ratings" when int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var kioskRatings):
                    options = options with { KioskRatings = kioskRatings };
                    break;
                case "--skip-indicators":
                    options = options with { SkipIndicators = true };
                    break;
                case "--only-echo":
                    options = options with { OnlyEcho = true };
                    break;
                default:
                    error = $"'{name}' is not an option, or its value is missing or not a whole number above 0.";
                    return false;
            }
        }

        return true;
    }

    /// <summary>"1000000,10000000": whole numbers above 0, rising.</summary>
    private static IReadOnlyList<int>? Steps(string? value)
    {
        var steps = value?.Split(',').Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : -1).ToList();
        return steps is { Count: > 0 } && steps.All(n => n > 0) && steps.Zip(steps.Skip(1)).All(p => p.First < p.Second) ? steps : null;
    }

    /// <summary>The directory that holds ServiceHall.sln: the current one or above it, else above the bench's own build.</summary>
    public static string FindRepository()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "ServiceHall.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("run the bench inside the ServiceHall repository (no ServiceHall.sln found above it)");
    }

    /// <summary>The options as flags, the PostgreSQL password left out.</summary>
    public override string ToString()
    {
        var postgres = Postgres is null ? "" : $"--postgres \"{new NpgsqlConnectionStringBuilder(Postgres) { Password = null }}\" ";
        return Invariant($"{postgres}--seconds {Seconds} --callers {Callers} ") +
            (SkipIndicators ? "--skip-indicators" : $"--indicator-ratings {string.Join(',', IndicatorSteps)}") +
            Invariant($" --kiosk-ratings {KioskRatings}") + (OnlyEcho ? " --only-echo" : "");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

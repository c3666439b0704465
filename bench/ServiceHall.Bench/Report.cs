using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ServiceHall.Bench.Fleet;

namespace ServiceHall.Bench;

/// <summary>Rows in the store against the STORED answers so far: the server's answers are only as good as what it kept.</summary>
internal sealed record StoreCheck(long AnsweredStored, long RowsInStore)
{
    public bool Holds => AnsweredStored == RowsInStore;
}

/// <summary>
/// Collects every stage's figures and writes them as Markdown tables, targets side by side. Problems (a stage that did
/// not run, a failed call, a count that does not match) are listed, never left out.
/// </summary>
internal sealed class Report(BenchOptions options, string serverDll, string repository)
{
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly string _loadAtStart = LoadAverage();
    private readonly List<(string Target, LoadResult Result, StoreCheck? Check)> _submits = [];
    private readonly List<(string Store, LiveFeedResult Result)> _live = [];
    private readonly List<(string Store, BulkLoadResult Load, long RowsInYear, long StoredSoFar)> _loads = [];
    private readonly List<(string Store, IndicatorTiming Timing)> _indicators = [];
    private readonly List<(string Store, string Stage, MemoryUse Use)> _memory = [];
    private readonly List<(string Target, string Stage, long Ratings, CpuSeconds Cpu)> _cpu = [];
    private readonly List<KioskDayResult> _kioskDays = [];
    private readonly List<string> _problems = [];

    public bool HasProblems => _problems.Count > 0;

    public void AddSubmit(string target, LoadResult result, StoreCheck? check)
    {
        _submits.Add((target, result, check));
        NoteProblems($"{target}, batch {result.Settings.BatchSize}", result.Tally);
        NoteProblems($"{target}, batch {result.Settings.BatchSize} (warm-up)", result.WarmUp);
        if (check is { Holds: false })
        {
            Problem($"{target}, batch {result.Settings.BatchSize}: {check.RowsInStore:N0} ratings in the store, {check.AnsweredStored:N0} answered STORED");
        }
    }

    public void AddLive(string store, LiveFeedResult result)
    {
        _live.Add((store, result));
        NoteProblems($"{store}, live feed", result.Tally);
        if (!result.FinalCountSeen || result.Unmatched > 0)
        {
            Problem($"{store}, live feed: final count shown: {result.FinalCountSeen}; counts not matched to a call: {result.Unmatched}");
        }
    }

    /// <summary>A load step; <paramref name="storedSoFar"/> counts every STORED answer of this store's loads, this one included.</summary>
    public void AddLoad(string store, BulkLoadResult load, long rowsInYear, long storedSoFar)
    {
        _loads.Add((store, load, rowsInYear, storedSoFar));
        NoteProblems($"{store}, bulk load", load.Tally);
        if (rowsInYear != storedSoFar)
        {
            Problem($"{store}, bulk load: {rowsInYear:N0} ratings in {IndicatorStage.Year} in the store, {storedSoFar:N0} answered STORED");
        }
    }

    public void AddIndicators(string store, IEnumerable<IndicatorTiming> timings)
    {
        foreach (var timing in timings)
        {
            _indicators.Add((store, timing));
            if (timing.Server.Error is { } serverError)
            {
                Problem($"{store}, GetIndicators {timing.Period}: {serverError}");
            }

            if (timing.FullScan.Error is { } scanError)
            {
                Problem($"{store}, full scan {timing.Period}: {scanError}");
            }

            if (timing.ServerRatingCount is { } count && count != timing.RatingsInPeriod)
            {
                Problem($"{store}, {timing.Period}: the server counts {count:N0} ratings, the full scan {timing.RatingsInPeriod:N0}");
            }
        }
    }

    public void AddMemory(string store, string stage, MemoryUse use) => _memory.Add((store, stage, use));

    public void AddCpu(string target, string stage, long ratings, CpuSeconds cpu) => _cpu.Add((target, stage, ratings, cpu));

    public void AddKioskDay(KioskDayResult day) => _kioskDays.Add(day);

    public void Problem(string problem)
    {
        _problems.Add(problem);
        Progress.Say("PROBLEM " + problem);
    }

    /// <summary>Runs a stage; if it fails, says so in the report and goes on with the next.</summary>
    public async Task AttemptAsync(string stage, Func<Task> run, CancellationToken cancellationToken)
    {
        try
        {
            await run();
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            Problem($"{stage} did not complete: {e.GetType().Name}: {e.Message}");
        }
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# ServiceHall bench").AppendLine();
        md.AppendLine(Invariant($"- Run: {_started:yyyy-MM-dd HH:mm} UTC, {(DateTimeOffset.UtcNow - _started).TotalMinutes:0.0} min; {Environment.ProcessorCount} cores, {Memory()}; {RuntimeInformation.OSDescription}; .NET {Environment.Version}"));
        md.AppendLine($"- Code: {GitDescription()}; server {Path.GetRelativePath(repository, serverDll)} built {File.GetLastWriteTimeUtc(serverDll):yyyy-MM-dd HH:mm} UTC");
        md.AppendLine($"- Arguments: `{options}`");
        md.AppendLine($"- Load average (1, 5, 15 min) at the start: {_loadAtStart}; at the end: {LoadAverage()}. Anything else running on these cores lowers every figure.");
        md.AppendLine("- Bench and server share the same cores over loopback h2c. Each kiosk has its own connection and credential; callers are spread over 8 kiosks of 370104-ZWZX. A rating is like a kiosk's: v7 id, window, item and staff of the demo catalog, a reason tag on 30%, ~40 characters of Chinese text on 15%, 8% 差评 (each with tag and text, each opening a case). Latencies are per call; percentiles are exact (sorted samples).");
        md.AppendLine();

        md.AppendLine("## Submit throughput and latency").AppendLine();
        md.AppendLine(Invariant($"{options.Callers} callers, each sending its next call when the last is answered, for {options.Seconds} s after a 5 s warm-up. Ratings/s counts ratings answered STORED. \"STORED = sent\": STORED answers equal the ratings of the calls that succeeded. \"Rows in store\": the ratings table, read directly, against every STORED answer so far on that server (warm-ups included)."));
        md.AppendLine();
        md.AppendLine("| Target | Batch | Calls | Ratings stored | Ratings/s | p50 ms | p99 ms | Errors | STORED = sent | Rows in store |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|--:|---|---|---|");
        foreach (var (target, r, check) in _submits)
        {
            md.AppendLine(Invariant(
                $"| {target} | {r.Settings.BatchSize} | {r.Tally.Calls:N0} | {r.Tally.Stored:N0} | {r.StoredPerSecond:N0} | {Ms(r.Latency.P50)} | {Ms(r.Latency.P99)} | {Errors(r.Tally)} | {Mark(r.Tally.StoredMatchesSent)} | {StoreCell(check)} |"));
        }

        if (_live.Count > 0)
        {
            md.AppendLine().AppendLine($"## Live-feed lag at {LiveFeedRun.RatingsPerSecond:N0} ratings/s").AppendLine();
            md.AppendLine(Invariant($"One WatchLiveFigures stream on 370104-ZZLJD while its 2 kiosks send a batch of 10 every 10 ms for {options.Seconds} s (paced by the clock, calls overlap when slow). Update lag: for each update that shows a new count, its arrival minus the answer to the call that brought the count there (the newest rating shown). Rating to screen: for each call, the first update that counts it minus its answer. The server coalesces changes for 150 ms by design."));
            md.AppendLine();
            md.AppendLine("| Store | Achieved ratings/s | Updates | Update lag p50 / p99 / max ms | Rating to screen p50 / p99 / max ms | Submit p50 / p99 ms | Errors | Last count shown |");
            md.AppendLine("|---|--:|--:|--:|--:|--:|---|---|");
            foreach (var (store, r) in _live)
            {
                md.AppendLine(Invariant(
                    $"| {store} | {r.StoredPerSecond:N0} | {r.Updates:N0} | {Ms(r.UpdateLag.P50)} / {Ms(r.UpdateLag.P99)} / {Ms(r.UpdateLag.Max)} | {Ms(r.RatingToScreen.P50)} / {Ms(r.RatingToScreen.P99)} / {Ms(r.RatingToScreen.Max)} | {Ms(r.Submit.P50)} / {Ms(r.Submit.P99)} | {Errors(r.Tally)} | {Mark(r.FinalCountSeen)} |"));
            }
        }

        if (_loads.Count > 0 || _indicators.Count > 0)
        {
            md.AppendLine().AppendLine($"## Indicators over {string.Join(" and ", options.IndicatorSteps.Select(n => n.ToString("N0", CultureInfo.InvariantCulture)))} stored ratings").AppendLine();
            md.AppendLine(Invariant($"The ratings are spread evenly over {IndicatorStage.Year} and submitted through the API in batches of {IndicatorStage.LoadBatchSize} by {Math.Min(options.Callers, IndicatorStage.MaxLoadCallers)} callers, oldest first. \"Rows in {IndicatorStage.Year}\": the ratings table, read directly."));
            md.AppendLine();
            md.AppendLine($"| Store | Ratings | Seconds | Ratings/s | Batch p50 / p99 ms | Errors | STORED = sent | Rows in {IndicatorStage.Year} |");
            md.AppendLine("|---|--:|--:|--:|--:|---|---|--:|");
            foreach (var (store, l, rows, storedSoFar) in _loads)
            {
                md.AppendLine(Invariant(
                    $"| {store} | {l.Requested:N0} | {l.Elapsed.TotalSeconds:N1} | {l.StoredPerSecond:N0} | {Ms(l.Latency.P50)} / {Ms(l.Latency.P99)} | {Errors(l.Tally)} | {Mark(l.Tally.StoredMatchesSent)} | {rows:N0} {Mark(rows == storedSoFar)} |"));
            }

            md.AppendLine();
            md.AppendLine("GetIndicators (district scope, through the server) against the full-scan baseline on the same store, `SELECT level, COUNT(*) FROM ratings WHERE rated_at_ms >= @from AND rated_at_ms < @to AND active = 1 GROUP BY level`; median of 5 runs (a run over 60 s is not repeated). \"Same count\": the server's 评价数 equals the scan's.");
            md.AppendLine();
            md.AppendLine("| Store | Period | Ratings in period | GetIndicators ms (runs) | Full-scan SQL ms (runs) | Same count |");
            md.AppendLine("|---|---|--:|--:|--:|---|");
            foreach (var (store, t) in _indicators)
            {
                md.AppendLine(Invariant(
                    $"| {store} | {t.Period} | {t.RatingsInPeriod:N0} | {Ms(t.Server.Median)} ({t.Server.Runs}) | {Ms(t.FullScan.Median)} ({t.FullScan.Runs}) | {(t.ServerRatingCount is { } c ? Mark(c == t.RatingsInPeriod) : "–")} |"));
            }
        }

        if (_memory.Count > 0)
        {
            md.AppendLine().AppendLine("## Server memory (VmRSS of the server process)").AppendLine();
            md.AppendLine("| Store | Stage | Start MB | End MB | Peak MB |");
            md.AppendLine("|---|---|--:|--:|--:|");
            foreach (var (store, stage, use) in _memory)
            {
                md.AppendLine($"| {store} | {stage} | {Mb(use.Start)} | {Mb(use.End)} | {Mb(use.Peak)} |");
            }
        }

        if (_cpu.Count > 0)
        {
            md.AppendLine().AppendLine("## Where the CPU went (submit runs, warm-up included)").AppendLine();
            md.AppendLine("CPU time (user + system, /proc) of the server process, the bench process (the kiosks' side) and every PostgreSQL process, over the ratings stored in the run. Two cores give at most 2 CPU seconds a second to all three.");
            md.AppendLine();
            md.AppendLine("| Target | Run | Ratings | Server CPU s | Bench CPU s | PostgreSQL CPU s | Server µs per rating | All µs per rating |");
            md.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|");
            foreach (var (target, stage, ratings, cpu) in _cpu)
            {
                var all = cpu.Server + cpu.Bench + (cpu.Postgres ?? 0);
                md.AppendLine(Invariant(
                    $"| {target} | {stage} | {ratings:N0} | {cpu.Server:N1} | {cpu.Bench:N1} | {(cpu.Postgres is { } pg ? pg.ToString("N1", CultureInfo.InvariantCulture) : "–")} | {PerRating(cpu.Server, ratings)} | {PerRating(all, ratings)} |"));
            }
        }

        if (_kioskDays.Count > 0)
        {
            md.AppendLine().AppendLine("## Kiosk memory over a day's use").AppendLine();
            md.AppendLine("The kiosk process (Release build) in headless Chromium at 1080×1920, on the SQLite server: citizens rating one after another through the screen (every 20th a 差评 with a reason; every 5th reads a service guide first). VmRSS of the kiosk process as the ratings go by.");
            md.AppendLine();
            foreach (var day in _kioskDays)
            {
                md.AppendLine("| Ratings made | " + string.Join(" | ", day.Samples.Select(x => x.Ratings.ToString("N0", CultureInfo.InvariantCulture))) + " | Peak |");
                md.AppendLine("|---|" + string.Concat(day.Samples.Select(_ => "--:|")) + "--:|");
                md.AppendLine("| Kiosk MB | " + string.Join(" | ", day.Samples.Select(x => Mb(x.ResidentBytes))) + $" | {Mb(day.Memory.Peak)} |");
                md.AppendLine();
                md.AppendLine(Invariant($"{day.Ratings:N0} ratings and {day.GuidesRead:N0} service guides in {day.Elapsed.TotalMinutes:0.0} min."));
            }
        }

        md.AppendLine().AppendLine("## Problems").AppendLine();
        md.AppendLine(_problems.Count == 0 ? "None: every call answered, every rating STORED, every count matched." : string.Join('\n', _problems.Select(p => "- " + p)));
        return md.ToString();
    }

    /// <summary>Milliseconds with the precision that matters at that size.</summary>
    public static string Ms(TimeSpan? duration) => duration?.TotalMilliseconds switch
    {
        null => "–",
        < 10 and > -10 and var ms => ms.ToString("0.00", CultureInfo.InvariantCulture),
        < 100 and > -100 and var ms => ms.ToString("0.0", CultureInfo.InvariantCulture),
        var ms => ms.Value.ToString("N0", CultureInfo.InvariantCulture),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string PerRating(double seconds, long ratings) =>
        ratings == 0 ? "–" : (seconds * 1e6 / ratings).ToString("N0", CultureInfo.InvariantCulture);

    public static string Mb(long? bytes) => bytes is { } b ? (b / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture) : "–";

    private static string Mark(bool holds) => holds ? "✓" : "✗";

    private static string StoreCell(StoreCheck? check) =>
        check is null ? "n/a" : Invariant($"{check.RowsInStore:N0} {Mark(check.Holds)}");

    private static string Errors(CallTally tally)
    {
        if (tally.Errors == 0)
        {
            return "0";
        }

        var kinds = tally.FailedCalls.Select(f => $"{f.Key}×{f.Value}")
            .Concat(tally.Rejected > 0 ? [$"rejected×{tally.Rejected}"] : [])
            .Concat(tally.AlreadyStored > 0 ? [$"already stored×{tally.AlreadyStored}"] : [])
            .Concat(tally.MismatchedAnswers > 0 ? [$"mismatched answers×{tally.MismatchedAnswers}"] : []);
        return Invariant($"{tally.Errors:N0} ({string.Join(", ", kinds)})");
    }

    private void NoteProblems(string stage, CallTally tally)
    {
        if (tally.Errors > 0)
        {
            Problem(Invariant($"{stage}: {tally.Errors:N0} errors, first: {tally.FirstProblem}"));
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Memory()
    {
        var total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return Invariant($"{total / 1024.0 / 1024 / 1024:0} GB RAM");
    }

    private string GitDescription()
    {
        var commit = Git("rev-parse --short HEAD");
        if (commit is null)
        {
            return "commit unknown";
        }

        var changes = Git("status --porcelain --untracked-files=no");
        return string.IsNullOrWhiteSpace(changes) ? $"commit {commit}" : $"commit {commit} with uncommitted changes";
    }

    private string? Git(string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", $"-C \"{repository}\" {arguments}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

/// <summary>What the bench is doing, on stderr, so stdout carries only the Markdown.</summary>
internal static class Progress
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Say(string message) =>
        Console.Error.WriteLine($"[{Clock.Elapsed:mm\\:ss}] {message}");
}

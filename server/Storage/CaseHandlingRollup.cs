using System.Data.Common;
using System.Globalization;
using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>
/// The handling figures' rollup (docs/rules/indicators-and-disclosure.md#how-the-figures-are-summed): every case's counts,
/// summed by the bucket of 1, 8 and 64 local days its citizen rated in, hall, responsible department and state, in
/// case_handling_spans; and how many cases took so many working days from receipt to the first contact and to the first
/// feedback, by the same keys, in case_handling_durations (working days on the calendar the store keeps,
/// <see cref="CaseWorkingDays"/>). Kept in the same transaction as every write of a case: its old row's share is taken out
/// and its new one put in, so a month, a quarter or a year reads a few hundred rollup rows instead of every case.
///
/// What a case adds is read from the same columns the scan sums, through the same expressions (<see cref="Sums"/>). The
/// rollup holds each case's counts as they stand once every deadline still running for it has passed ("settled"): the
/// only counts that change with time alone are due/overdue ones (a deadline passing). Cases with a deadline still ahead
/// (settles_at_ms at or after the moment asked about — the open cases of the last few days, a handful) are read from
/// the cases themselves: their settled share taken out and their share at that moment put in. The figures are therefore
/// exactly the scan's, at any moment.
/// </summary>
internal static class CaseHandlingRollup
{
    /// <summary>
    /// The offset the rollup's days are counted in: China Standard Time, which has no daylight saving. A period whose
    /// bounds are not midnights of this offset is summed by the scan.
    /// </summary>
    public const long DayOffsetMs = 8 * 3_600_000L;

    private const long DayMs = 86_400_000L;

    // The local day (days since 1970-01-01 in the rollup's offset) of a case's rating.
    private const string RatedDay = "((rated_at_ms + 28800000) / 86400000)";

    // Which states run which clock is the case's rule (BadReviewCase); the lists are numbers from the enum, never input.
    private static readonly string ContactRuns = StatesWhere(BadReviewCase.ContactClockRuns);
    private static readonly string RectificationRuns = StatesWhere(BadReviewCase.RectificationClockRuns);

    private static string OverdueAt(string atMs) =>
        $"((state IN ({ContactRuns}) AND contact_due_ms < {atMs}) OR (state IN ({RectificationRuns}) AND rectification_due_ms < {atMs}))";

    /// <summary>
    /// Each count a case adds to the figures: its name in the rollup, the scan's expression at @AsOfMs (and @DueByMs), and
    /// the expression once every running deadline has passed. The one SQL copy of the case figures' definitions
    /// (<see cref="CaseFigures.Of"/> and <see cref="HandlingCounts.Of"/> are the C# ones, held equal by the store tests).
    /// </summary>
    public static readonly (string Column, string AtMoment, string Settled)[] Sums =
    [
        ("received", "1", "1"),
        ("appeal_upheld", "appeal_upheld", "appeal_upheld"),
        // Due: closed, or past the rectification deadline (docs/rules/indicators-and-disclosure.md#due-or-done).
        ("bad_due", "CASE WHEN appeal_upheld = 0 AND (closed = 1 OR rectification_due_ms < @AsOfMs) THEN 1 ELSE 0 END",
            "CASE WHEN appeal_upheld = 0 THEN 1 ELSE 0 END"),
        ("bad_rectified", "CASE WHEN appeal_upheld = 0 THEN rectified ELSE 0 END", "CASE WHEN appeal_upheld = 0 THEN rectified ELSE 0 END"),
        ("bad_rectified_in_time", "CASE WHEN appeal_upheld = 0 THEN rectified_in_time ELSE 0 END",
            "CASE WHEN appeal_upheld = 0 THEN rectified_in_time ELSE 0 END"),
        // A real-name rater's callback is due once reached or past the contact deadline.
        ("real_name_bad", "CASE WHEN appeal_upheld = 0 AND real_name = 1 AND (called_back = 1 OR contact_due_ms < @AsOfMs) THEN 1 ELSE 0 END",
            "CASE WHEN appeal_upheld = 0 AND real_name = 1 THEN 1 ELSE 0 END"),
        ("real_name_bad_contacted", "CASE WHEN appeal_upheld = 0 AND real_name = 1 THEN called_back ELSE 0 END",
            "CASE WHEN appeal_upheld = 0 AND real_name = 1 THEN called_back ELSE 0 END"),
        ("raters_asked", "CASE WHEN appeal_upheld = 0 THEN rater_asked ELSE 0 END", "CASE WHEN appeal_upheld = 0 THEN rater_asked ELSE 0 END"),
        ("raters_satisfied", "CASE WHEN appeal_upheld = 0 THEN rater_satisfied ELSE 0 END", "CASE WHEN appeal_upheld = 0 THEN rater_satisfied ELSE 0 END"),
        // HandlingStages.IsOverdue: a deadline whose clock runs in the case's state has passed.
        ("overdue", $"CASE WHEN {OverdueAt("@AsOfMs")} THEN 1 ELSE 0 END", $"CASE WHEN state IN ({ContactRuns}) OR state IN ({RectificationRuns}) THEN 1 ELSE 0 END"),
        // HandlingStages.IsDueBy: not overdue now, overdue by @DueByMs. Never, once settled; not kept in the rollup.
        ("due_today", $"CASE WHEN NOT {OverdueAt("@AsOfMs")} AND {OverdueAt("@DueByMs")} THEN 1 ELSE 0 END", "0"),
    ];

    /// <summary>The counts the rollup keeps (all but due-today).</summary>
    private static readonly (string Column, string AtMoment, string Settled)[] Kept = Sums[..^1];

    // The last moment any count of a case can still change with time: the later of the deadlines whose test above it is
    // under (the rectification deadline while it is open and counted, or while its state runs that clock; the contact
    // deadline while a real-name rater is not reached, or while its state runs that clock). NULL: none can.
    private static readonly string SettlesAt =
        $"""
        CASE
            WHEN ((appeal_upheld = 0 AND closed = 0) OR state IN ({RectificationRuns}))
                AND ((appeal_upheld = 0 AND real_name = 1 AND called_back = 0) OR state IN ({ContactRuns}))
                THEN CASE WHEN rectification_due_ms > contact_due_ms THEN rectification_due_ms ELSE contact_due_ms END
            WHEN (appeal_upheld = 0 AND closed = 0) OR state IN ({RectificationRuns}) THEN rectification_due_ms
            WHEN (appeal_upheld = 0 AND real_name = 1 AND called_back = 0) OR state IN ({ContactRuns}) THEN contact_due_ms
            ELSE NULL
        END
        """;

    private const string SpanKeys = "span, first_day, hall_code, department_code, state";
    private const string DurationKeys = "span, first_day, hall_code, department_code, milestone, working_days";

    /// <summary>
    /// The lengths, in days, of the rollup's buckets: every case is counted in the bucket of each length its rated day falls in,
    /// buckets aligned on day 0 (1970-01-01) of the rollup's offset. A period is read as its daily edges and the longest buckets
    /// that fit between them (<see cref="BucketsOf"/>): a year is some 30 buckets instead of 365 days.
    /// </summary>
    public static readonly long[] Spans = [1, 8, 64];

    /// <summary>The milestones whose working days are counted, by their number in case_handling_durations.</summary>
    public static readonly (long Milestone, string Column)[] Milestones = [(1, "reached_at_ms"), (2, "first_feedback_at_ms")];

    /// <summary>Migration 21: the first rollup (by rated day), when each case settles, both filled from the cases already stored.</summary>
    public static readonly string Migration =
        $"""
        ALTER TABLE cases ADD COLUMN settles_at_ms BIGINT NULL;
        CREATE INDEX IF NOT EXISTS ix_cases_settles ON cases (settles_at_ms);
        CREATE TABLE IF NOT EXISTS case_handling_days (
            rated_day BIGINT NOT NULL,
            hall_code TEXT NOT NULL,
            department_code TEXT NOT NULL,
            state BIGINT NOT NULL,
            {string.Join(",\n    ", Kept.Select(s => s.Column + " BIGINT NOT NULL"))},
            PRIMARY KEY ({DayKeys}));
        CREATE TABLE IF NOT EXISTS case_handling_day_pairs (
            rated_day BIGINT NOT NULL,
            hall_code TEXT NOT NULL,
            department_code TEXT NOT NULL,
            milestone BIGINT NOT NULL,
            from_day BIGINT NOT NULL,
            to_day BIGINT NOT NULL,
            count BIGINT NOT NULL,
            PRIMARY KEY ({PairKeys}));
        {string.Join(";\n", FirstStatements())};
        """;

    // Migration 21's fill, as it was written (its tables are replaced by migration 23's).
    private const string DayKeys = "rated_day, hall_code, department_code, state";
    private const string PairKeys = "rated_day, hall_code, department_code, milestone, from_day, to_day";

    private static IEnumerable<string> FirstStatements()
    {
        const string where = "1 = 1";
        const int sign = 1;
        yield return $"UPDATE cases SET settles_at_ms = {SettlesAt} WHERE {where}";
        yield return
            $"""
            INSERT INTO case_handling_days ({DayKeys}, {string.Join(", ", Kept.Select(s => s.Column))})
            SELECT {RatedDay}, hall_code, {StoreScope.ResponsibleDepartment}, state,
                {string.Join(", ", Kept.Select(s => $"{sign} * SUM({s.Settled})"))}
            FROM cases WHERE {where}
            GROUP BY {RatedDay}, hall_code, {StoreScope.ResponsibleDepartment}, state
            ON CONFLICT ({DayKeys}) DO UPDATE SET {string.Join(", ", Kept.Select(s => $"{s.Column} = case_handling_days.{s.Column} + excluded.{s.Column}"))}
            """;
        foreach (var (milestone, column) in Milestones)
        {
            yield return
                $"""
                INSERT INTO case_handling_day_pairs ({PairKeys}, count)
                SELECT {RatedDay}, hall_code, {StoreScope.ResponsibleDepartment}, {milestone},
                    (received_at_ms + 28800000) / 86400000, ({column} + 28800000) / 86400000, {sign} * COUNT(*)
                FROM cases WHERE ({where}) AND appeal_upheld = 0 AND {column} IS NOT NULL
                GROUP BY {RatedDay}, hall_code, {StoreScope.ResponsibleDepartment},
                    (received_at_ms + 28800000) / 86400000, ({column} + 28800000) / 86400000
                ON CONFLICT ({PairKeys}) DO UPDATE SET count = case_handling_day_pairs.count + excluded.count
                """;
        }
    }

    /// <summary>
    /// Migration 23: the rollup in buckets of several lengths (<see cref="Spans"/>), and the days to each milestone as working
    /// days on the district's calendar, which the store keeps as a table (<see cref="CaseWorkingDays"/>). The new tables are
    /// filled when the calendar is written into the store, right after the migrations (a store without one has none).
    /// </summary>
    public static readonly string BucketsMigration =
        $"""
        DROP TABLE IF EXISTS case_handling_days;
        DROP TABLE IF EXISTS case_handling_day_pairs;
        CREATE TABLE IF NOT EXISTS case_handling_spans (
            span BIGINT NOT NULL,
            first_day BIGINT NOT NULL,
            hall_code TEXT NOT NULL,
            department_code TEXT NOT NULL,
            state BIGINT NOT NULL,
            {string.Join(",\n    ", Kept.Select(s => s.Column + " BIGINT NOT NULL"))},
            PRIMARY KEY ({SpanKeys}));
        CREATE TABLE IF NOT EXISTS case_handling_durations (
            span BIGINT NOT NULL,
            first_day BIGINT NOT NULL,
            hall_code TEXT NOT NULL,
            department_code TEXT NOT NULL,
            milestone BIGINT NOT NULL,
            working_days BIGINT NOT NULL,
            count BIGINT NOT NULL,
            PRIMARY KEY ({DurationKeys}));
        {CaseWorkingDays.Migration}
        """;

    // The bucket lengths as a table to join each case with: one row of it per length.
    private static readonly string SpanRows = "(" + string.Join(" UNION ALL ", Spans.Select(s => $"SELECT {s} AS span")) + ") spans";

    // The milestones as a table, and the milestone time of each.
    private static readonly string MilestoneRows =
        "(" + string.Join(" UNION ALL ", Milestones.Select(m => $"SELECT {m.Milestone} AS milestone")) + ") milestones";

    private static readonly string MilestoneAt =
        $"CASE milestones.milestone {string.Join(" ", Milestones.Select(m => $"WHEN {m.Milestone} THEN {m.Column}"))} END";

    /// <summary>
    /// The working days from receipt to a milestone at <paramref name="atMs"/>, local days by <paramref name="offsetMs"/>: what
    /// <see cref="WorkingCalendar.WorkingDaysBetween"/> counts, read from the calendar the store keeps (<see cref="CaseWorkingDays"/>).
    /// </summary>
    public static string WorkingDaysTo(string atMs, string offsetMs) =>
        CaseWorkingDays.Between($"(received_at_ms + {offsetMs}) / 86400000", $"({atMs} + {offsetMs}) / 86400000");

    // Every case matching `where` added to the rollup (sign 1) or taken out of it (sign -1), after its settles_at_ms is
    // written from its row (when adding; `changedOnly` skips the rows whose value stands, as most do in a rebuild).
    private static IEnumerable<string> Statements(string where, int sign, bool changedOnly = false)
    {
        if (sign > 0)
        {
            yield return changedOnly
                ? $"UPDATE cases SET settles_at_ms = {SettlesAt} WHERE ({where}) AND COALESCE(settles_at_ms, -1) <> COALESCE({SettlesAt}, -1)"
                : $"UPDATE cases SET settles_at_ms = {SettlesAt} WHERE {where}";
        }

        var bucket = $"{RatedDay} - {RatedDay} % spans.span";
        yield return
            $"""
            INSERT INTO case_handling_spans ({SpanKeys}, {string.Join(", ", Kept.Select(s => s.Column))})
            SELECT spans.span, {bucket}, hall_code, {StoreScope.ResponsibleDepartment}, state,
                {string.Join(", ", Kept.Select(s => $"{sign} * SUM({s.Settled})"))}
            FROM cases CROSS JOIN {SpanRows} WHERE {where}
            GROUP BY spans.span, {bucket}, hall_code, {StoreScope.ResponsibleDepartment}, state
            ON CONFLICT ({SpanKeys}) DO UPDATE SET {string.Join(", ", Kept.Select(s => $"{s.Column} = case_handling_spans.{s.Column} + excluded.{s.Column}"))}
            """;
        // Each case's working days to each milestone, worked out once and counted in the bucket of every length.
        yield return
            $"""
            INSERT INTO case_handling_durations ({DurationKeys}, count)
            SELECT spans.span, d.rated_day - d.rated_day % spans.span, d.hall_code, d.department_code, d.milestone, d.working_days, {sign} * COUNT(*)
            FROM (
                SELECT {RatedDay} AS rated_day, hall_code, {StoreScope.ResponsibleDepartment} AS department_code, milestones.milestone,
                    {WorkingDaysTo(MilestoneAt, "28800000")} AS working_days
                FROM cases CROSS JOIN {MilestoneRows}
                WHERE ({where}) AND appeal_upheld = 0 AND {MilestoneAt} IS NOT NULL) d
            CROSS JOIN {SpanRows}
            WHERE 1 = 1
            GROUP BY spans.span, d.rated_day - d.rated_day % spans.span, d.hall_code, d.department_code, d.milestone, d.working_days
            ON CONFLICT ({DurationKeys}) DO UPDATE SET count = case_handling_durations.count + excluded.count
            """;
    }

    /// <summary>Takes the stored rows of some cases out of the rollup (before they are rewritten).</summary>
    public static Task SubtractAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> caseIds) =>
        RunAsync(connection, transaction, caseIds, -1);

    /// <summary>Puts the stored rows of some cases into the rollup (after they were written).</summary>
    public static Task AddAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> caseIds) =>
        RunAsync(connection, transaction, caseIds, 1);

    private static async Task RunAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> caseIds, int sign)
    {
        foreach (var chunk in caseIds.Chunk(500))
        {
            var parameters = new DynamicParameters();
            for (var i = 0; i < chunk.Length; i++)
            {
                parameters.Add($"Case{i}", chunk[i]);
            }

            var where = $"id IN ({string.Join(", ", Enumerable.Range(0, chunk.Length).Select(i => $"@Case{i}"))})";
            foreach (var sql in Statements(where, sign))
            {
                await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction));
            }
        }
    }

    /// <summary>
    /// Fills the rollup afresh from every stored case (after the cases' columns were rewritten, loaded in bulk, or the calendar
    /// the working days are counted on changed).
    /// </summary>
    public static async Task RebuildAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var sql in new[] { "DELETE FROM case_handling_spans", "DELETE FROM case_handling_durations" }.Concat(Statements("1 = 1", 1, changedOnly: true)))
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken));
        }
    }

    /// <summary>
    /// The buckets [first day, end day) is read as, by length: its first days up to the first 8-day boundary, then 8-day
    /// buckets up to the first 64-day boundary, the 64-day buckets that fit, and the same down again at the end. Each length's
    /// buckets as ranges of their first days, [from, to); at most two ranges a length.
    /// </summary>
    public static IReadOnlyList<(long Span, long From, long To)> BucketsOf(long firstDay, long endDay)
    {
        var ranges = new List<(long Span, long From, long To)>();
        var (left, right) = (firstDay, endDay);
        for (var i = 0; i < Spans.Length && left < right; i++)
        {
            var span = Spans[i];
            if (i == Spans.Length - 1)
            {
                // Both ends lie on this length's boundaries by now.
                ranges.Add((span, left, right));
                break;
            }

            var next = Spans[i + 1];
            var leftEnd = Math.Min(Ceiling(left, next), right);
            var rightStart = Math.Max(right - right % next, leftEnd);
            if (left < leftEnd)
            {
                ranges.Add((span, left, leftEnd));
            }

            if (rightStart < right)
            {
                ranges.Add((span, rightStart, right));
            }

            (left, right) = (leftEnd, rightStart);
        }

        return ranges;
    }

    private static long Ceiling(long day, long span) => (day + span - 1) / span * span;

    /// <summary>
    /// Whether [from, to) is whole days of the rollup, so it can be read from it: the rollup's first and last day, or null.
    /// </summary>
    public static (long FirstDay, long EndDay)? DaysOf(DateTimeOffset from, DateTimeOffset to)
    {
        var (fromMs, toMs) = (from.ToUnixTimeMilliseconds() + DayOffsetMs, to.ToUnixTimeMilliseconds() + DayOffsetMs);
        return fromMs % DayMs == 0 && toMs % DayMs == 0 && fromMs >= 0 && toMs > fromMs ? (fromMs / DayMs, toMs / DayMs) : null;
    }

    /// <summary>
    /// A scope as a condition on the rollup's columns; null for one it does not keep (a window or a service item: their
    /// cases are few and scanned).
    /// </summary>
    public static string? OfRollup(Scope scope) => scope.Kind switch
    {
        ScopeKind.District => "",
        ScopeKind.Hall => " AND hall_code = @Code",
        ScopeKind.Department => " AND department_code = @Code",
        _ => null,
    };

    private static string StatesWhere(Func<CaseState, bool> runs) =>
        string.Join(", ", Enum.GetValues<CaseState>().Where(runs).Select(s => ((long)s).ToString(CultureInfo.InvariantCulture)));
}

using System.Globalization;
using System.Text.Json;
using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>A request as the intake stores it: the request, its applicant's identity encrypted, and the keys the checks compare.</summary>
public sealed record DisclosureIntakeRow(
    DisclosureRequest Request, string DeviceId, string ApplicantProtected, string ApplicantKey, string InformationKey);

/// <summary>What the office's queue asks for; each part optional.</summary>
/// <param name="States">Requests in one of these states (empty: all).</param>
/// <param name="AssignedDepartmentCode">Only requests assigned to this department (a department handler's view).</param>
/// <param name="Limit">At most this many, newest handed in first.</param>
public sealed record DisclosureRequestQuery(IReadOnlyCollection<DisclosureRequestState> States, string? AssignedDepartmentCode = null, int Limit = 200);

/// <summary>Information-disclosure requests (docs/rules/disclosure-requests.md), stored as snapshots like cases.</summary>
public interface IDisclosureRequestStore
{
    /// <summary>
    /// Stores a new request once: a request id already stored returns the stored request and stores nothing (the kiosk resends
    /// until it hears back). The earlier requests of the same applicant are read in the same write, for the intake's flags.
    /// </summary>
    /// The request is made by <c>receive</c> from the applicant's earlier requests (number, information key, submitted at).
    Task<(DisclosureRequest Request, bool Created)> ReceiveAsync(
        Guid id, string applicantKey, Func<IReadOnlyList<(string Number, string InformationKey, DateTimeOffset SubmittedAt)>, DisclosureIntakeRow> receive,
        CancellationToken cancellationToken);

    Task<DisclosureRequest?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The encrypted identity of the request's applicant, or null when there is no such request.</summary>
    Task<string?> FindApplicantProtectedAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<DisclosureRequest>> ListAsync(DisclosureRequestQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a request's new state; <see cref="ConcurrentChangeException"/> if the stored one no longer has
    /// <paramref name="eventsBefore"/> events (someone else acted first).
    /// </summary>
    Task SaveAsync(DisclosureRequest updated, int eventsBefore, CancellationToken cancellationToken);

    /// <summary>What the annual table of <paramref name="year"/> counts: requests received by its end and not concluded before it.</summary>
    Task<IReadOnlyList<DisclosureRequestFacts>> ListFactsForYearAsync(int year, CancellationToken cancellationToken);

    /// <summary>The requests whose reply clock may have run out: not answered and not lapsed, oldest first.</summary>
    Task<IReadOnlyList<DisclosureRequest>> ListOpenAsync(CancellationToken cancellationToken);

    /// <summary>The protected applicant-key secret, made by <paramref name="make"/> the first time.</summary>
    Task<string> KeepSecretAsync(Func<string> make, CancellationToken cancellationToken);

    Task<ReviewAndLitigationFigures> FindReviewFiguresAsync(int year, CancellationToken cancellationToken);

    Task SaveReviewFiguresAsync(ReviewAndLitigationFigures figures, string enteredBy, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>The requests in SQL both databases run.</summary>
public sealed class DisclosureRequestStore(StoreDatabase database) : IDisclosureRequestStore
{
    private static readonly string[] Columns =
        ["state", "assigned_department_code", "event_count", "concluded_day", "outcome", "snapshot"];

    public async Task<(DisclosureRequest Request, bool Created)> ReceiveAsync(
        Guid id, string applicantKey, Func<IReadOnlyList<(string Number, string InformationKey, DateTimeOffset SubmittedAt)>, DisclosureIntakeRow> receive,
        CancellationToken cancellationToken) =>
        await database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var stored = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT snapshot FROM disclosure_requests WHERE id = @Id", new { Id = id.ToString() }, transaction, cancellationToken: cancellationToken));
            if (stored is not null)
            {
                return (Restore(stored), false);
            }

            var earlier = (await connection.QueryAsync<(string Number, string InformationKey, long SubmittedAtMs)>(new CommandDefinition(
                    "SELECT number, information_key, submitted_at_ms FROM disclosure_requests WHERE applicant_key = @Key",
                    new { Key = applicantKey }, transaction, cancellationToken: cancellationToken)))
                .Select(e => (e.Number, e.InformationKey, DateTimeOffset.FromUnixTimeMilliseconds(e.SubmittedAtMs)))
                .ToList();
            var row = receive(earlier);
            var r = row.Request;
            var parameters = Parameters(r);
            parameters.Add("id", r.Id.ToString());
            parameters.Add("number", r.Number);
            parameters.Add("hall_code", r.HallCode);
            parameters.Add("device_id", row.DeviceId);
            parameters.Add("submitted_at_ms", r.SubmittedAt.ToUnixTimeMilliseconds());
            parameters.Add("received_day", Day(r.ReceivedDay));
            parameters.Add("applicant_kind", (long)r.ApplicantKind);
            parameters.Add("applicant_protected", row.ApplicantProtected);
            parameters.Add("applicant_key", row.ApplicantKey);
            parameters.Add("information_key", row.InformationKey);
            string[] fixedColumns =
                ["id", "number", "hall_code", "device_id", "submitted_at_ms", "received_day", "applicant_kind", "applicant_protected", "applicant_key", "information_key"];
            var all = fixedColumns.Concat(Columns).ToList();
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO disclosure_requests ({string.Join(", ", all)}) VALUES ({string.Join(", ", all.Select(c => "@" + c))})",
                parameters, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return (r, true);
        }, cancellationToken);

    public async Task<DisclosureRequest?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var snapshot = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT snapshot FROM disclosure_requests WHERE id = @Id", new { Id = id.ToString() }, cancellationToken: cancellationToken));
        return snapshot is null ? null : Restore(snapshot);
    }

    public async Task<string?> FindApplicantProtectedAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT applicant_protected FROM disclosure_requests WHERE id = @Id", new { Id = id.ToString() }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<DisclosureRequest>> ListAsync(DisclosureRequestQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (query.States.Count > 0)
        {
            // Numbers from the enum, never input.
            where.Add($"state IN ({string.Join(", ", query.States.Select(s => ((long)s).ToString(CultureInfo.InvariantCulture)))})");
        }

        if (query.AssignedDepartmentCode is not null)
        {
            where.Add("assigned_department_code = @Department");
            parameters.Add("Department", query.AssignedDepartmentCode);
        }

        parameters.Add("Limit", query.Limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        var snapshots = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT snapshot FROM disclosure_requests" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + " ORDER BY submitted_at_ms DESC, id LIMIT @Limit",
            parameters, cancellationToken: cancellationToken));
        return snapshots.Select(Restore).ToList();
    }

    public async Task SaveAsync(DisclosureRequest updated, int eventsBefore, CancellationToken cancellationToken)
    {
        var parameters = Parameters(updated);
        parameters.Add("Id", updated.Id.ToString());
        parameters.Add("EventsBefore", eventsBefore);
        await database.WriteAsync(async connection =>
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE disclosure_requests SET {string.Join(", ", Columns.Select(c => $"{c} = @{c}"))} WHERE id = @Id AND event_count = @EventsBefore",
                parameters, cancellationToken: cancellationToken));
            if (changed != 1)
            {
                throw new ConcurrentChangeException($"申请 {updated.Number} 已被他人更新，请刷新后重试");
            }
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<DisclosureRequestFacts>> ListFactsForYearAsync(int year, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Kind, string Received, string? Concluded, long? Outcome)>(new CommandDefinition(
            "SELECT applicant_kind, received_day, concluded_day, outcome FROM disclosure_requests "
            + "WHERE received_day <= @Last AND (concluded_day IS NULL OR concluded_day >= @First)",
            new { First = $"{year:D4}-01-01", Last = $"{year:D4}-12-31" }, cancellationToken: cancellationToken));
        return rows.Select(r => new DisclosureRequestFacts(
            Enum.Parse<ApplicantKind>(r.Kind.ToString(CultureInfo.InvariantCulture)), ParseDay(r.Received),
            r.Concluded is null ? null : ParseDay(r.Concluded),
            r.Outcome is { } o ? Enum.Parse<DisclosureOutcome>(o.ToString(CultureInfo.InvariantCulture)) : null)).ToList();
    }

    public async Task<IReadOnlyList<DisclosureRequest>> ListOpenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var snapshots = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT snapshot FROM disclosure_requests WHERE concluded_day IS NULL ORDER BY submitted_at_ms, id",
            cancellationToken: cancellationToken));
        return snapshots.Select(Restore).ToList();
    }

    public async Task<string> KeepSecretAsync(Func<string> make, CancellationToken cancellationToken) =>
        await database.WriteAsync(async connection =>
        {
            var stored = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT secret_protected FROM disclosure_request_secret WHERE id = 1", cancellationToken: cancellationToken));
            if (stored is not null)
            {
                return stored;
            }

            var made = make();
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO disclosure_request_secret (id, secret_protected) VALUES (1, @Secret) ON CONFLICT (id) DO NOTHING",
                new { Secret = made }, cancellationToken: cancellationToken));
            return await connection.QuerySingleAsync<string>(new CommandDefinition(
                "SELECT secret_protected FROM disclosure_request_secret WHERE id = 1", cancellationToken: cancellationToken));
        }, cancellationToken);

    public async Task<ReviewAndLitigationFigures> FindReviewFiguresAsync(int year, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT figures FROM disclosure_review_figures WHERE year = @Year", new { Year = (long)year }, cancellationToken: cancellationToken));
        return json is null ? ReviewAndLitigationFigures.Empty(year) : StoreDatabase.Deserialize<ReviewAndLitigationFigures>(json);
    }

    public Task SaveReviewFiguresAsync(ReviewAndLitigationFigures figures, string enteredBy, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO disclosure_review_figures (year, figures, entered_by, entered_at_ms) VALUES (@Year, @Figures, @By, @AtMs)
            ON CONFLICT (year) DO UPDATE SET figures = excluded.figures, entered_by = excluded.entered_by, entered_at_ms = excluded.entered_at_ms
            """,
            new { Year = (long)figures.Year, Figures = JsonSerializer.Serialize(figures, StoreDatabase.Json), By = enteredBy, AtMs = at.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)), cancellationToken);

    private static DynamicParameters Parameters(DisclosureRequest r)
    {
        var parameters = new DynamicParameters();
        parameters.Add("state", (long)r.State);
        parameters.Add("assigned_department_code", r.AssignedDepartmentCode);
        parameters.Add("event_count", (long)r.Events.Count);
        parameters.Add("concluded_day", r.ConcludedDay is { } day ? Day(day) : null);
        parameters.Add("outcome", r.ConcludedDay is not null && r.Outcome is { } o ? (long)o : null);
        parameters.Add("snapshot", JsonSerializer.Serialize(r.ToSnapshot(), StoreDatabase.Json));
        return parameters;
    }

    private static DisclosureRequest Restore(string snapshot) => DisclosureRequest.Restore(StoreDatabase.Deserialize<DisclosureRequestSnapshot>(snapshot));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

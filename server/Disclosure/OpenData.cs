using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Disclosure;

/// <summary>
/// Publications as open data on the server's HTTP endpoint, so a newspaper or the provincial platform can take them
/// without scraping: one JSON document per version, and each of its tables as CSV with stable column names.
/// </summary>
public static class OpenData
{
    /// <summary>The JSON every consumer reads — the public page included (同源发布).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public static string ToJson(Publication publication) => JsonSerializer.Serialize(publication, Json);

    public static void Map(WebApplication app)
    {
        var openData = app.MapGroup("/open-data").AddEndpointFilter(async (context, next) =>
        {
            // Read from the store on every request and never kept by a cache: a withdrawal is gone from every copy at once
            // (docs/rules/indicators-and-disclosure.md#withdrawal).
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context);
        });

        openData.MapGet("/publications.json", async (IPublicationStore store, CancellationToken ct) =>
            Results.Text(JsonSerializer.Serialize(
                (await store.ListPublicationsAsync(ct)).Select(p => new
                {
                    p.PeriodKey, p.Content.PeriodLabel, p.Version, p.PublishedAt, p.Correction, p.SignOff, Withdrawn = p.IsWithdrawn,
                    p.Withdrawals,
                    Json = $"/open-data/publications/{p.PeriodKey}/v{p.Version}.json",
                }), Json), "application/json; charset=utf-8"));

        openData.MapGet("/publications/{periodKey}/v{version:int}.json", async (string periodKey, int version, IPublicationStore store, CancellationToken ct) =>
            await FindAsync(store, periodKey, version, ct) switch
            {
                null => Results.NotFound(),
                { IsWithdrawn: true } p => Results.Text(WithdrawnNotice(p), "application/json; charset=utf-8", statusCode: StatusCodes.Status410Gone),
                var p => Results.Text(ToJson(p), "application/json; charset=utf-8"),
            });

        openData.MapGet("/publications/{periodKey}/v{version:int}/{table}.csv", async (string periodKey, int version, string table, IPublicationStore store, CancellationToken ct) =>
        {
            var p = await FindAsync(store, periodKey, version, ct);
            if (p is { IsWithdrawn: true } && Tables.Contains(table))
            {
                return Results.Text(WithdrawnNotice(p), "application/json; charset=utf-8", statusCode: StatusCodes.Status410Gone);
            }

            var csv = p is null ? null : Table(p.Content, table);
            // A BOM so spreadsheet programs read the Chinese text as UTF-8.
            return csv is null ? Results.NotFound() : Results.Text("\uFEFF" + csv, "text/csv; charset=utf-8");
        });
    }

    /// <summary>What a withdrawn version's files answer (410 Gone): the version, and what was withdrawn, when and why.</summary>
    public static string WithdrawnNotice(Publication p) =>
        JsonSerializer.Serialize(new { p.PeriodKey, p.Content.PeriodLabel, p.Version, Withdrawn = true, p.Withdrawals }, Json);

    /// <summary>The names of the CSV tables, as in /open-data/publications/{period}/v{n}/{table}.csv.</summary>
    public static readonly IReadOnlyList<string> Tables =
        ["indicators", "levels", "channels", "departments", "windows", "trend", "bad-review-reasons", "bad-reviews"];

    public static string? Table(PublicationContent c, string table) => table switch
    {
        "indicators" => Csv(["code", "name", "formula", "numerator", "denominator", "percent", "insufficient_sample", "display"],
            c.Headline.Select(v => new object?[] { v.Code, v.Name, v.Formula, v.Numerator, v.Denominator, v.Percent, v.InsufficientSample, v.Display })),
        "levels" => Csv(["gbt39046_code", "level", "ratings"], c.Levels.Select(l => new object?[] { l.Code, l.Label, l.Count })),
        "channels" => Csv(["channel", "name", "ratings"], c.Channels.Select(l => new object?[] { l.Code, l.Label, l.Count })),
        "departments" => Units(c.Departments),
        "windows" => Units(c.Windows),
        "trend" => Csv(["period", "period_label", "ratings", "good_rate", "bad_reviews"],
            c.Trend.Select(t => new object?[] { t.PeriodKey, t.PeriodLabel, t.Ratings, t.GoodRate, t.BadReviews })),
        "bad-review-reasons" => Csv(["tag_code", "reason", "bad_reviews"], c.BadReviewReasons.Select(l => new object?[] { l.Code, l.Label, l.Count })),
        "bad-reviews" => Csv(
            ["rated_on", "department", "window", "service_item", "level", "reasons", "text", "outcome", "disposition", "what_was_done",
                "rectified_on", "working_days_taken", "on_time", "called_back", "citizen_verdict"],
            c.BadReviews.Select(b => new object?[]
            {
                b.RatedOn, b.Department, b.Window, b.ServiceItem, b.Level, string.Join("；", b.Reasons), b.Text, b.Outcome, b.Disposition,
                b.WhatWasDone, b.RectifiedOn, b.WorkingDaysTaken, b.OnTime, b.CalledBack, b.CitizenVerdict,
            })),
        _ => null,
    };

    private static string Units(IEnumerable<UnitFigures> units) =>
        // New columns only ever at the end: a consumer reading by position keeps working.
        Csv(["rank", "code", "name", "ratings", "good_rate", "bad_reviews", "rectified", "rectified_in_time_rate", "good_ratings", "bad_due",
                "rectified_in_time"],
            units.Select(u => new object?[]
            {
                u.Rank, u.Code, u.Name, u.Ratings, u.GoodRate, u.BadReviews, u.Rectified, u.RectifiedInTimeRate, u.GoodRatings, u.BadDue,
                u.RectifiedInTime,
            }));

    private static async Task<Publication?> FindAsync(IPublicationStore store, string periodKey, int version, CancellationToken ct) =>
        (await store.ListPublicationsAsync(ct)).FirstOrDefault(p => p.PeriodKey == periodKey && p.Version == version);

    private static string Csv(string[] header, IEnumerable<object?[]> rows)
    {
        var csv = new StringBuilder().AppendJoin(',', header).Append("\r\n");
        foreach (var row in rows)
        {
            csv.AppendJoin(',', row.Select(Field)).Append("\r\n");
        }

        return csv.ToString();
    }

    // RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
    private static string Field(object? value)
    {
        var text = value switch
        {
            null => "",
            bool b => b ? "true" : "false",
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => Neutralised(PublicText.StripControls(value.ToString() ?? "")),
        };
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>
    /// A text a spreadsheet would run as a formula — starting with =, +, -, @, a tab or a carriage return, also after
    /// leading blanks — gets a single quote in front, so it is shown as text (OWASP, CSV Injection;
    /// docs/rules/indicators-and-disclosure.md#safe-files). Numbers the server writes are not texts and stay as they are.
    /// </summary>
    private static string Neutralised(string text) =>
        text.Length > 0 && ("=+-@\t\r".Contains(text[0], StringComparison.Ordinal)
            || (text.TrimStart().Length > 0 && "=+-@".Contains(text.TrimStart()[0], StringComparison.Ordinal)))
            ? "'" + text
            : text;
}

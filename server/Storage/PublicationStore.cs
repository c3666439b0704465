using System.Text.Json;
using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>Published disclosures, never updated, and the rating texts a moderator kept out of them.</summary>
public interface IPublicationStore
{
    /// <summary>Stores a publication; false if that period already has that version. Publications are never updated.</summary>
    Task<bool> AddPublicationAsync(Publication publication, CancellationToken cancellationToken);

    /// <summary>Every version of every publication, newest period first, then newest version first.</summary>
    Task<IReadOnlyList<Publication>> ListPublicationsAsync(CancellationToken cancellationToken);

    /// <summary>Keeps a rating's text out of publications; recorded with who, why and when (kept once per rating).</summary>
    Task HideRatingTextAsync(Guid ratingId, string by, string reason, DateTimeOffset at, CancellationToken cancellationToken);

    Task<IReadOnlySet<Guid>> ListHiddenTextsAsync(CancellationToken cancellationToken);
}

public sealed class PublicationStore(StoreDatabase database) : IPublicationStore
{
    public Task<bool> AddPublicationAsync(Publication publication, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection => await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO publications (period_key, version, published_at_ms, content)
            VALUES (@PeriodKey, @Version, @PublishedAtMs, @Content)
            ON CONFLICT (period_key, version) DO NOTHING
            """,
            new
            {
                publication.PeriodKey, publication.Version, PublishedAtMs = publication.PublishedAt.ToUnixTimeMilliseconds(),
                Content = JsonSerializer.Serialize(publication, StoreDatabase.Json),
            },
            cancellationToken: cancellationToken)) == 1, cancellationToken);

    public async Task<IReadOnlyList<Publication>> ListPublicationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT content FROM publications ORDER BY published_at_ms DESC, period_key DESC, version DESC",
            cancellationToken: cancellationToken));
        return rows.Select(StoreDatabase.Deserialize<Publication>).ToList();
    }

    public Task HideRatingTextAsync(Guid ratingId, string by, string reason, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO hidden_texts (rating_id, hidden_by, reason, hidden_at_ms) VALUES (@Id, @By, @Reason, @AtMs)
            ON CONFLICT (rating_id) DO NOTHING
            """,
            new { Id = ratingId.ToString(), By = by, Reason = reason, AtMs = at.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)), cancellationToken);

    public async Task<IReadOnlySet<Guid>> ListHiddenTextsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<string>(new CommandDefinition("SELECT rating_id FROM hidden_texts", cancellationToken: cancellationToken));
        return ids.Select(Guid.Parse).ToHashSet();
    }
}

using System.Globalization;
using System.Text.Json;
using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>What the console's list asks for; each part optional.</summary>
public sealed record PublishedDocumentQuery(PublishedDocumentType? Type = null, PublishedDocumentState? State = null, int Limit = 500);

/// <summary>主动公开 documents (docs/rules/active-disclosure.md), stored as snapshots like cases.</summary>
public interface IPublishedDocumentStore
{
    /// <summary>Stores a new document once: an id already stored returns the stored document and stores nothing.</summary>
    Task<(PublishedDocument Document, bool Created)> CreateAsync(PublishedDocument document, CancellationToken cancellationToken);

    Task<PublishedDocument?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Newest change first.</summary>
    Task<IReadOnlyList<PublishedDocument>> ListAsync(PublishedDocumentQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the new state of one or more documents in one transaction (a policy and its interpretation are published
    /// together); <see cref="ConcurrentChangeException"/>, and nothing written, if any stored one no longer has the number of
    /// events it had when read.
    /// </summary>
    Task SaveAsync(IReadOnlyList<(PublishedDocument Updated, int EventsBefore)> documents, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="documents"/> only when the store holds no document at all (the demo district's).</summary>
    Task<bool> SeedAsync(IReadOnlyList<PublishedDocument> documents, CancellationToken cancellationToken);
}

/// <summary>The documents in SQL both databases run.</summary>
public sealed class PublishedDocumentStore(StoreDatabase database) : IPublishedDocumentStore
{
    private const string Insert =
        """
        INSERT INTO published_documents (id, type, state, title, demo, updated_at_ms, event_count, snapshot)
        VALUES (@id, @type, @state, @title, @demo, @updated_at_ms, @event_count, @snapshot)
        """;

    public async Task<(PublishedDocument Document, bool Created)> CreateAsync(PublishedDocument document, CancellationToken cancellationToken) =>
        await database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var stored = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT snapshot FROM published_documents WHERE id = @Id", new { Id = document.Id.ToString() }, transaction,
                cancellationToken: cancellationToken));
            if (stored is not null)
            {
                return (Restore(stored), false);
            }

            await connection.ExecuteAsync(new CommandDefinition(Insert, Parameters(document), transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return (document, true);
        }, cancellationToken);

    public async Task<PublishedDocument?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var snapshot = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT snapshot FROM published_documents WHERE id = @Id", new { Id = id.ToString() }, cancellationToken: cancellationToken));
        return snapshot is null ? null : Restore(snapshot);
    }

    public async Task<IReadOnlyList<PublishedDocument>> ListAsync(PublishedDocumentQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var where = new List<string>();
        if (query.Type is { } type)
        {
            // Numbers from the enum, never input.
            where.Add("type = " + ((long)type).ToString(CultureInfo.InvariantCulture));
        }

        if (query.State is { } state)
        {
            where.Add("state = " + ((long)state).ToString(CultureInfo.InvariantCulture));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var snapshots = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT snapshot FROM published_documents" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + " ORDER BY updated_at_ms DESC, id LIMIT @Limit",
            new { query.Limit }, cancellationToken: cancellationToken));
        return snapshots.Select(Restore).ToList();
    }

    public Task SaveAsync(IReadOnlyList<(PublishedDocument Updated, int EventsBefore)> documents, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var (updated, eventsBefore) in documents)
            {
                var parameters = Parameters(updated);
                parameters.Add("events_before", (long)eventsBefore);
                var changed = await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE published_documents SET type = @type, state = @state, title = @title, demo = @demo,
                        updated_at_ms = @updated_at_ms, event_count = @event_count, snapshot = @snapshot
                    WHERE id = @id AND event_count = @events_before
                    """,
                    parameters, transaction, cancellationToken: cancellationToken));
                if (changed != 1)
                {
                    throw new ConcurrentChangeException($"“{updated.Content.Title}”已被他人更新，请刷新后重试");
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    public async Task<bool> SeedAsync(IReadOnlyList<PublishedDocument> documents, CancellationToken cancellationToken) =>
        await database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await database.LockAsync(connection, transaction, "published_documents_seed", cancellationToken);
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM published_documents", transaction: transaction, cancellationToken: cancellationToken)) > 0)
            {
                return false;
            }

            foreach (var document in documents)
            {
                await connection.ExecuteAsync(new CommandDefinition(Insert, Parameters(document), transaction, cancellationToken: cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);

    private static DynamicParameters Parameters(PublishedDocument d)
    {
        var parameters = new DynamicParameters();
        parameters.Add("id", d.Id.ToString());
        parameters.Add("type", (long)d.Content.Type);
        parameters.Add("state", (long)d.State);
        parameters.Add("title", d.Content.Title);
        parameters.Add("demo", d.Content.Demo ? 1L : 0L);
        parameters.Add("updated_at_ms", d.UpdatedAt.ToUnixTimeMilliseconds());
        parameters.Add("event_count", (long)d.Events.Count);
        parameters.Add("snapshot", JsonSerializer.Serialize(d.ToSnapshot(), StoreDatabase.Json));
        return parameters;
    }

    private static PublishedDocument Restore(string snapshot) =>
        PublishedDocument.Restore(StoreDatabase.Deserialize<PublishedDocumentSnapshot>(snapshot));
}

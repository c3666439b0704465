using System.Text.Json;
using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>
/// Disclosures under review (drafts), published disclosures — changed only by a withdrawal — the officer's audit, and
/// the rating texts a moderator kept out of them.
/// </summary>
public interface IPublicationStore
{
    /// <summary>Every version of every publication, newest period first, then newest version first.</summary>
    Task<IReadOnlyList<Publication>> ListPublicationsAsync(CancellationToken cancellationToken);

    /// <summary>Keeps a rating's text out of publications; recorded with who, why and when (kept once per rating).</summary>
    Task HideRatingTextAsync(Guid ratingId, string by, string reason, DateTimeOffset at, CancellationToken cancellationToken);

    Task<IReadOnlySet<Guid>> ListHiddenTextsAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new draft with its audit row; false if that period already has that version, drafted or published.</summary>
    Task<bool> AddDraftAsync(DisclosureDraft draft, DisclosureAction action, CancellationToken cancellationToken);

    /// <summary>Every draft awaiting approval, oldest period first.</summary>
    Task<IReadOnlyList<DisclosureDraft>> ListDraftsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a draft after an edit, with its audit row; <see cref="ConcurrentChangeException"/> if it changed since
    /// <paramref name="updated"/>'s revision was read.
    /// </summary>
    Task SaveDraftAsync(DisclosureDraft updated, DisclosureAction action, CancellationToken cancellationToken);

    /// <summary>Publishes an approved draft and deletes it, with its audit row, in one transaction.</summary>
    Task PublishDraftAsync(DisclosureDraft draft, Publication publication, DisclosureAction action, CancellationToken cancellationToken);

    /// <summary>
    /// Stores publications after a withdrawal, with the audit rows, in one transaction; <see cref="ConcurrentChangeException"/>
    /// if another withdrawal came first. <paramref name="textKey"/>, for a withdrawn text, keeps that 差评's text out of every
    /// later draft (Withdrawal.KeyOf: never the text).
    /// </summary>
    Task WithdrawAsync(
        IReadOnlyList<(Publication Before, Publication After)> changes, IReadOnlyList<DisclosureAction> actions, string? textKey,
        CancellationToken cancellationToken);

    /// <summary>The keys of every withdrawn text (Withdrawal.KeyOf) (<see cref="WithdrawAsync"/>).</summary>
    Task<IReadOnlySet<string>> ListWithdrawnTextKeysAsync(CancellationToken cancellationToken);

    /// <summary>The disclosure audit, newest first.</summary>
    Task<IReadOnlyList<DisclosureAction>> ListActionsAsync(int limit, CancellationToken cancellationToken);
}

public sealed class PublicationStore(StoreDatabase database) : IPublicationStore
{
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

    public Task<bool> AddDraftAsync(DisclosureDraft draft, DisclosureAction action, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var taken = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                SELECT (SELECT COUNT(*) FROM publications WHERE period_key = @PeriodKey AND version = @Version)
                     + (SELECT COUNT(*) FROM disclosure_drafts WHERE period_key = @PeriodKey AND version = @Version)
                """,
                new { draft.PeriodKey, draft.Version }, transaction, cancellationToken: cancellationToken));
            if (taken > 0)
            {
                return false;
            }

            var added = await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO disclosure_drafts (period_key, version, revision, content) VALUES (@PeriodKey, @Version, 0, @Content)
                ON CONFLICT (period_key, version) DO NOTHING
                """,
                new { draft.PeriodKey, draft.Version, Content = JsonSerializer.Serialize(draft with { Revision = 0 }, StoreDatabase.Json) },
                transaction, cancellationToken: cancellationToken));
            if (added == 1)
            {
                await AddActionAsync(connection, transaction, action, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return added == 1;
        }, cancellationToken);

    public async Task<IReadOnlyList<DisclosureDraft>> ListDraftsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Content, long Revision)>(new CommandDefinition(
            "SELECT content, revision FROM disclosure_drafts ORDER BY period_key, version", cancellationToken: cancellationToken));
        return rows.Select(r => StoreDatabase.Deserialize<DisclosureDraft>(r.Content) with { Revision = (int)r.Revision }).ToList();
    }

    public Task SaveDraftAsync(DisclosureDraft updated, DisclosureAction action, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE disclosure_drafts SET content = @Content, revision = revision + 1
                WHERE period_key = @PeriodKey AND version = @Version AND revision = @Revision
                """,
                new { updated.PeriodKey, updated.Version, updated.Revision, Content = JsonSerializer.Serialize(updated with { Revision = 0 }, StoreDatabase.Json) },
                transaction, cancellationToken: cancellationToken));
            if (changed != 1)
            {
                throw new ConcurrentChangeException($"{updated.Label} 的草稿已被他人修改或已发布，请刷新后重试");
            }

            await AddActionAsync(connection, transaction, action, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    public Task PublishDraftAsync(DisclosureDraft draft, Publication publication, DisclosureAction action, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM disclosure_drafts WHERE period_key = @PeriodKey AND version = @Version AND revision = @Revision",
                new { draft.PeriodKey, draft.Version, draft.Revision }, transaction, cancellationToken: cancellationToken));
            if (deleted != 1)
            {
                throw new ConcurrentChangeException($"{draft.Label} 的草稿已被他人修改或已发布，请刷新后重试");
            }

            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO publications (period_key, version, published_at_ms, content, withdrawals)
                VALUES (@PeriodKey, @Version, @PublishedAtMs, @Content, 0)
                """,
                new
                {
                    publication.PeriodKey, publication.Version, PublishedAtMs = publication.PublishedAt.ToUnixTimeMilliseconds(),
                    Content = JsonSerializer.Serialize(publication, StoreDatabase.Json),
                },
                transaction, cancellationToken: cancellationToken));
            await AddActionAsync(connection, transaction, action, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    public Task WithdrawAsync(
        IReadOnlyList<(Publication Before, Publication After)> changes, IReadOnlyList<DisclosureAction> actions, string? textKey,
        CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var (before, after) in changes)
            {
                var changed = await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE publications SET content = @Content, withdrawals = @Count
                    WHERE period_key = @PeriodKey AND version = @Version AND withdrawals = @Before
                    """,
                    new
                    {
                        after.PeriodKey, after.Version, Count = after.Withdrawals?.Count ?? 0, Before = before.Withdrawals?.Count ?? 0,
                        Content = JsonSerializer.Serialize(after, StoreDatabase.Json),
                    },
                    transaction, cancellationToken: cancellationToken));
                if (changed != 1)
                {
                    throw new ConcurrentChangeException($"{after.PeriodKey} 第 {after.Version} 版刚被他人撤回过内容，请刷新后重试");
                }
            }

            foreach (var action in actions)
            {
                await AddActionAsync(connection, transaction, action, cancellationToken);
            }

            if (textKey is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO withdrawn_texts (text_key) VALUES (@TextKey) ON CONFLICT (text_key) DO NOTHING",
                    new { TextKey = textKey }, transaction, cancellationToken: cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    public async Task<IReadOnlySet<string>> ListWithdrawnTextKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition("SELECT text_key FROM withdrawn_texts", cancellationToken: cancellationToken)))
            .ToHashSet(StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<DisclosureAction>> ListActionsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ActionRow>(new CommandDefinition(
            """
            SELECT at_ms AS AtMs, user_name AS UserName, kind AS Kind, period_key AS PeriodKey, version AS Version,
                row_index AS RowNumber, reason AS Reason
            FROM disclosure_actions ORDER BY at_ms DESC, id DESC LIMIT @Limit
            """,
            new { Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new DisclosureAction(
            DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs), r.UserName, Enum.Parse<DisclosureActionKind>(r.Kind), r.PeriodKey, (int)r.Version,
            r.RowNumber is { } row ? (int)row : null, r.Reason)).ToList();
    }

    private static Task AddActionAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, DisclosureAction action,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO disclosure_actions (id, at_ms, user_name, kind, period_key, version, row_index, reason)
            VALUES (@Id, @AtMs, @UserName, @Kind, @PeriodKey, @Version, @Row, @Reason)
            """,
            new
            {
                Id = Guid.CreateVersion7(action.At).ToString(), AtMs = action.At.ToUnixTimeMilliseconds(), action.UserName, Kind = action.Kind.ToString(),
                action.PeriodKey, action.Version, Row = (long?)action.Row, action.Reason,
            },
            transaction, cancellationToken: cancellationToken));

    private sealed record ActionRow(long AtMs, string UserName, string Kind, string PeriodKey, long Version, long? RowNumber, string Reason);
}

using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>Where an account stands for signing in: failed attempts in a row, a lockout, whether it is disabled.</summary>
public sealed record AccountStanding(int FailedSignIns, DateTimeOffset? LockedUntil, bool IsDisabled);

/// <summary>One row of the security log: a sign-in failure, a lockout, an account change (kinds in <c>SecurityEventKinds</c>).</summary>
public sealed record SecurityEvent(DateTimeOffset At, string Kind, string UserName, string Source, string Detail);

/// <summary>Staff accounts, their signed-in sessions and the security log.</summary>
public interface IAccountStore
{
    /// <summary>Adds an account; false if the user name is taken.</summary>
    Task<bool> AddAccountAsync(StaffAccount account, CancellationToken cancellationToken);

    Task<StaffAccount?> FindAccountAsync(string userName, CancellationToken cancellationToken);

    /// <summary>An account with its standing, or null for an unknown name.</summary>
    Task<(StaffAccount Account, AccountStanding Standing)?> FindStandingAsync(string userName, CancellationToken cancellationToken);

    Task<IReadOnlyList<(StaffAccount Account, AccountStanding Standing)>> ListAccountsAsync(CancellationToken cancellationToken);

    /// <summary>Counts one more failed sign-in in a row and answers the count, counted in the database so parallel guesses all count.</summary>
    Task<int> CountFailedSignInAsync(Guid accountId, CancellationToken cancellationToken);

    Task LockAsync(Guid accountId, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Clears failed sign-ins and any lockout (a successful sign-in, or an administrator's unlock); false for an unknown name.</summary>
    Task<bool> ClearFailuresAsync(string userName, CancellationToken cancellationToken);

    /// <summary>Disables or enables an account; disabling ends its sessions. False for an unknown name.</summary>
    Task<bool> SetDisabledAsync(string userName, bool disabled, CancellationToken cancellationToken);

    /// <summary>Replaces the password hash and ends every session of the account but <paramref name="keptTokenHash"/>.</summary>
    Task SetPasswordHashAsync(Guid accountId, string passwordHash, string? keptTokenHash, CancellationToken cancellationToken);

    Task AddStaffSessionAsync(string tokenHash, Guid accountId, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The enabled account of a session that has not expired and was used after <paramref name="idleSince"/>, or null.
    /// </summary>
    Task<StaffAccount?> FindSessionAccountAsync(string tokenHash, DateTimeOffset now, DateTimeOffset idleSince, CancellationToken cancellationToken);

    /// <summary>Records that the session was used now (the idle timeout counts from here).</summary>
    Task TouchSessionAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Ends a session (sign-out); false if there was none.</summary>
    Task<bool> RemoveSessionAsync(string tokenHash, CancellationToken cancellationToken);

    Task AddSecurityEventAsync(SecurityEvent entry, CancellationToken cancellationToken);

    /// <summary>The newest security events first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<SecurityEvent>> ListSecurityEventsAsync(int limit, CancellationToken cancellationToken);
}

public sealed class AccountStore(StoreDatabase database) : IAccountStore
{
    private const string AccountColumns =
        """
        SELECT a.id AS Id, a.user_name AS UserName, a.display_name AS DisplayName, a.role AS Role, a.department_code AS DepartmentCode,
            a.hall_code AS HallCode, a.password_hash AS PasswordHash, a.failed_sign_ins AS FailedSignIns, a.locked_until_ms AS LockedUntilMs,
            a.disabled AS Disabled
        """;

    public Task<bool> AddAccountAsync(StaffAccount account, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection => await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO staff_accounts (id, user_name, display_name, role, department_code, hall_code, password_hash)
            VALUES (@Id, @UserName, @DisplayName, @Role, @DepartmentCode, @HallCode, @PasswordHash)
            ON CONFLICT (user_name) DO NOTHING
            """,
            new
            {
                Id = account.Id.ToString(), account.UserName, account.DisplayName, Role = (int)account.Role,
                account.DepartmentCode, account.HallCode, account.PasswordHash,
            },
            cancellationToken: cancellationToken)) == 1, cancellationToken);

    public async Task<StaffAccount?> FindAccountAsync(string userName, CancellationToken cancellationToken) =>
        (await FindStandingAsync(userName, cancellationToken))?.Account;

    public async Task<(StaffAccount Account, AccountStanding Standing)?> FindStandingAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            AccountColumns + " FROM staff_accounts a WHERE a.user_name = @UserName", new { UserName = userName }, cancellationToken: cancellationToken));
        return row is null ? null : (row.ToAccount(), row.ToStanding());
    }

    public async Task<IReadOnlyList<(StaffAccount Account, AccountStanding Standing)>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AccountRow>(new CommandDefinition(
            AccountColumns + " FROM staff_accounts a ORDER BY a.user_name", cancellationToken: cancellationToken));
        return [.. rows.Select(r => (r.ToAccount(), r.ToStanding()))];
    }

    public Task<int> CountFailedSignInAsync(Guid accountId, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "UPDATE staff_accounts SET failed_sign_ins = failed_sign_ins + 1 WHERE id = @Id RETURNING failed_sign_ins",
            new { Id = accountId.ToString() }, cancellationToken: cancellationToken)), cancellationToken);

    public Task LockAsync(Guid accountId, DateTimeOffset until, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE staff_accounts SET locked_until_ms = @UntilMs WHERE id = @Id",
            new { Id = accountId.ToString(), UntilMs = until.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)), cancellationToken);

    public Task<bool> ClearFailuresAsync(string userName, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection => await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE staff_accounts SET failed_sign_ins = 0, locked_until_ms = 0 WHERE user_name = @UserName",
            new { UserName = userName }, cancellationToken: cancellationToken)) == 1, cancellationToken);

    public Task<bool> SetDisabledAsync(string userName, bool disabled, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE staff_accounts SET disabled = @Disabled WHERE user_name = @UserName",
                new { UserName = userName, Disabled = disabled ? 1 : 0 }, transaction, cancellationToken: cancellationToken)) == 1;
            if (disabled)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM staff_sessions WHERE account_id IN (SELECT id FROM staff_accounts WHERE user_name = @UserName)",
                    new { UserName = userName }, transaction, cancellationToken: cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
            return changed;
        }, cancellationToken);

    public Task SetPasswordHashAsync(Guid accountId, string passwordHash, string? keptTokenHash, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE staff_accounts SET password_hash = @Hash WHERE id = @Id",
                new { Id = accountId.ToString(), Hash = passwordHash }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM staff_sessions WHERE account_id = @Id AND token_hash <> @Kept",
                new { Id = accountId.ToString(), Kept = keptTokenHash ?? "" }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    public Task AddStaffSessionAsync(string tokenHash, Guid accountId, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO staff_sessions (token_hash, account_id, expires_at_ms, last_used_ms)
            VALUES (@TokenHash, @AccountId, @ExpiresAtMs, @NowMs)
            """,
            new
            {
                TokenHash = tokenHash, AccountId = accountId.ToString(), ExpiresAtMs = expiresAt.ToUnixTimeMilliseconds(),
                NowMs = now.ToUnixTimeMilliseconds(),
            },
            cancellationToken: cancellationToken)), cancellationToken);

    public async Task<StaffAccount?> FindSessionAccountAsync(
        string tokenHash, DateTimeOffset now, DateTimeOffset idleSince, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            AccountColumns + """

            FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id
            WHERE s.token_hash = @TokenHash AND s.expires_at_ms > @NowMs AND s.last_used_ms > @IdleSinceMs AND a.disabled = 0
            """,
            new { TokenHash = tokenHash, NowMs = now.ToUnixTimeMilliseconds(), IdleSinceMs = idleSince.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return row?.ToAccount();
    }

    public Task TouchSessionAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE staff_sessions SET last_used_ms = @NowMs WHERE token_hash = @TokenHash",
            new { TokenHash = tokenHash, NowMs = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)), cancellationToken);

    public Task<bool> RemoveSessionAsync(string tokenHash, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection => await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM staff_sessions WHERE token_hash = @TokenHash", new { TokenHash = tokenHash },
            cancellationToken: cancellationToken)) == 1, cancellationToken);

    public Task AddSecurityEventAsync(SecurityEvent entry, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO security_events (id, at_ms, kind, user_name, source, detail)
            VALUES (@Id, @AtMs, @Kind, @UserName, @Source, @Detail)
            """,
            new
            {
                Id = Guid.CreateVersion7().ToString(), AtMs = entry.At.ToUnixTimeMilliseconds(), entry.Kind, entry.UserName,
                entry.Source, entry.Detail,
            },
            cancellationToken: cancellationToken)), cancellationToken);

    public async Task<IReadOnlyList<SecurityEvent>> ListSecurityEventsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SecurityEventRow>(new CommandDefinition(
            """
            SELECT at_ms AS AtMs, kind AS Kind, user_name AS UserName, source AS Source, detail AS Detail
            FROM security_events ORDER BY at_ms DESC, id DESC LIMIT @Limit
            """,
            new { Limit = limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new SecurityEvent(DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs), r.Kind, r.UserName, r.Source, r.Detail))];
    }

    private sealed record SecurityEventRow(long AtMs, string Kind, string UserName, string Source, string Detail);

    private sealed record AccountRow(
        string Id, string UserName, string DisplayName, long Role, string? DepartmentCode, string? HallCode, string PasswordHash,
        long FailedSignIns, long LockedUntilMs, long Disabled)
    {
        public StaffAccount ToAccount() => new(Guid.Parse(Id), UserName, DisplayName, (StaffRole)Role, DepartmentCode, HallCode, PasswordHash);

        public AccountStanding ToStanding() => new(
            (int)FailedSignIns, LockedUntilMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(LockedUntilMs), Disabled != 0);
    }
}

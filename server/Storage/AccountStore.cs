using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>Staff accounts and their signed-in sessions.</summary>
public interface IAccountStore
{
    /// <summary>Adds an account; false if the user name is taken.</summary>
    Task<bool> AddAccountAsync(StaffAccount account, CancellationToken cancellationToken);

    Task<StaffAccount?> FindAccountAsync(string userName, CancellationToken cancellationToken);

    Task AddStaffSessionAsync(string tokenHash, Guid accountId, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>The account of an unexpired session, or null.</summary>
    Task<StaffAccount?> FindSessionAccountAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken);
}

public sealed class AccountStore(StoreDatabase database) : IAccountStore
{
    private const string AccountColumns =
        """
        SELECT a.id AS Id, a.user_name AS UserName, a.display_name AS DisplayName, a.role AS Role, a.department_code AS DepartmentCode,
            a.hall_code AS HallCode, a.password_hash AS PasswordHash
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

    public async Task<StaffAccount?> FindAccountAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            AccountColumns + " FROM staff_accounts a WHERE a.user_name = @UserName", new { UserName = userName }, cancellationToken: cancellationToken));
        return row?.ToAccount();
    }

    public Task AddStaffSessionAsync(string tokenHash, Guid accountId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO staff_sessions (token_hash, account_id, expires_at_ms) VALUES (@TokenHash, @AccountId, @ExpiresAtMs)",
            new { TokenHash = tokenHash, AccountId = accountId.ToString(), ExpiresAtMs = expiresAt.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)), cancellationToken);

    public async Task<StaffAccount?> FindSessionAccountAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            AccountColumns + """

            FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id
            WHERE s.token_hash = @TokenHash AND s.expires_at_ms > @NowMs
            """,
            new { TokenHash = tokenHash, NowMs = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return row?.ToAccount();
    }

    private sealed record AccountRow(
        string Id, string UserName, string DisplayName, long Role, string? DepartmentCode, string? HallCode, string PasswordHash)
    {
        public StaffAccount ToAccount() => new(Guid.Parse(Id), UserName, DisplayName, (StaffRole)Role, DepartmentCode, HallCode, PasswordHash);
    }
}

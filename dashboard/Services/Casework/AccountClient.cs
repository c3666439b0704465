using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>One staff account as the administrator's list shows it.</summary>
public sealed record AccountRow(ConsoleAccount Account, string HallCode, int FailedSignIns, DateTimeOffset? LockedUntil, bool Disabled);

/// <summary>One row of the security log (sign-in failures, lockouts, account changes).</summary>
public sealed record SecurityLogEntry(DateTimeOffset At, string Kind, string UserName, string Source, string Detail);

/// <summary>
/// The console's calls to AccountService beyond sign-in: changing one's own password, the administrator's account list
/// (unlock, disable, enable) and the security log for auditors and administrators. The server decides who may call each.
/// </summary>
public sealed class AccountClient(AccountService.AccountServiceClient client, ConsoleSession session)
{
    public async Task ChangePasswordAsync(string oldPassword, string newPassword, CancellationToken cancellationToken = default) =>
        await session.CallAsync(headers => client.ChangePasswordAsync(
            new ChangePasswordRequest { OldPassword = oldPassword, NewPassword = newPassword },
            headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));

    public async Task<IReadOnlyList<AccountRow>> ListAccountsAsync(CancellationToken cancellationToken = default)
    {
        var response = await session.CallAsync(headers => client.ListAccountsAsync(
            new ListAccountsRequest(), headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));
        return response.Accounts.Select(a => new AccountRow(
            a.Account.ToStaffAccount(), a.Account.HallCode, a.FailedSignIns, a.LockedUntil?.ToDateTimeOffset(), a.Disabled)).ToList();
    }

    public async Task UnlockAsync(string userName, CancellationToken cancellationToken = default) =>
        await session.CallAsync(headers => client.UnlockAccountAsync(
            new UnlockAccountRequest { UserName = userName }, headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));

    public async Task SetDisabledAsync(string userName, bool disabled, CancellationToken cancellationToken = default) =>
        await session.CallAsync(headers => client.SetAccountDisabledAsync(
            new SetAccountDisabledRequest { UserName = userName, Disabled = disabled }, headers, DateTime.UtcNow + CaseClient.CallTimeout,
            cancellationToken));

    public async Task<IReadOnlyList<SecurityLogEntry>> SecurityLogAsync(CancellationToken cancellationToken = default)
    {
        var response = await session.CallAsync(headers => client.ListSecurityEventsAsync(
            new ListSecurityEventsRequest(), headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));
        return response.Events.Select(e => new SecurityLogEntry(e.At.ToDateTimeOffset(), e.Kind, e.UserName, e.Source, e.Detail)).ToList();
    }
}

using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Accounts;

/// <summary>What an administrator does to accounts (lift a lockout, disable, enable, list) and what the auditor reads (the security log).</summary>
public sealed class AccountAdministration(IAccountStore store, StaffSignIn signIn)
{
    public const int SecurityLogPage = 500;

    public async Task UnlockAsync(string userName, string by, CancellationToken cancellationToken)
    {
        TextLimits.Check(userName, "user_name", TextLimits.UserName);
        if (!await store.ClearFailuresAsync(userName, cancellationToken))
        {
            throw UnknownAccount(userName);
        }

        await signIn.LogAsync(SecurityEventKinds.Unlocked, userName, "", $"由 {by} 解锁", cancellationToken);
    }

    /// <summary>Disables (every session ends at once) or enables an account.</summary>
    public async Task SetDisabledAsync(string userName, bool disabled, string by, CancellationToken cancellationToken)
    {
        TextLimits.Check(userName, "user_name", TextLimits.UserName);
        if (!await store.SetDisabledAsync(userName, disabled, cancellationToken))
        {
            throw UnknownAccount(userName);
        }

        await signIn.LogAsync(disabled ? SecurityEventKinds.Disabled : SecurityEventKinds.Enabled, userName, "", $"由 {by}", cancellationToken);
    }

    public Task<IReadOnlyList<(StaffAccount Account, AccountStanding Standing)>> ListAsync(CancellationToken cancellationToken) =>
        store.ListAccountsAsync(cancellationToken);

    public Task<IReadOnlyList<SecurityEvent>> SecurityLogAsync(CancellationToken cancellationToken) =>
        store.ListSecurityEventsAsync(SecurityLogPage, cancellationToken);

    private static NotFoundException UnknownAccount(string userName) => new($"没有账户 {userName}", "staff_account", userName);
}

using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Metrics;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Accounts;

/// <summary>How long a console sign-in lasts and how guessing is held back. Section "Accounts".</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>Absolute lifetime of a session, however active.</summary>
    [Range(1, 24 * 30)]
    public int SessionHours { get; set; } = 12;

    /// <summary>A session unused this long ends.</summary>
    [Range(1, 24 * 60)]
    public int IdleMinutes { get; set; } = 30;

    /// <summary>Failed sign-ins in a row after which the account is locked.</summary>
    [Range(1, 100)]
    public int FailuresBeforeLockout { get; set; } = 5;

    /// <summary>How long a lockout lasts unless an administrator lifts it first.</summary>
    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Failed sign-ins one source address may make in <see cref="SourceWindowMinutes"/>, whatever names it tries.</summary>
    [Range(1, 100_000)]
    public int FailuresPerSource { get; set; } = 30;

    [Range(1, 24 * 60)]
    public int SourceWindowMinutes { get; set; } = 15;

    /// <summary>How often an open stream checks that its caller's token or credential is still valid.</summary>
    [Range(1, 300)]
    public int StreamRecheckSeconds { get; set; } = 5;
}

/// <summary>
/// Staff accounts and their sign-in. Passwords are hashed with ASP.NET Core Identity's PBKDF2 hasher; a token is
/// 256 random bits given to the client once, and only its SHA-256 is stored. Every sign-in attempt costs exactly one
/// password hash, for a known name or not, so the time of the answer does not tell which names exist.
/// </summary>
public sealed class StaffSignIn(
    IAccountStore store, CatalogSource catalog, TimeProvider time, IOptions<AccountOptions> options,
    IPasswordHasher<StaffAccount> hasher, SourceThrottle throttle, ServerMetrics? metrics = null)
{
    // One answer for every refusal (unknown name, wrong password, locked, disabled), so it does not reveal which names exist.
    public const string Refusal = "用户名或密码不正确，或账户已被锁定、停用";

    private static readonly StaffAccount NoAccount = new(Guid.Empty, "", "", StaffRole.Auditor, null, null, "");

    // Hashed once with the same hasher, so verifying against it costs what verifying a real account's hash costs.
    private readonly Lazy<string> _dummyHash = new(() => hasher.HashPassword(NoAccount, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));

    public async Task<StaffAccount> CreateAccountAsync(
        string userName, string displayName, StaffRole role, string? departmentCode, string password, CancellationToken cancellationToken,
        string? hallCode = null)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            throw new InvalidInputException("user_name", "不能为空");
        }

        PasswordRules.Check(password, userName);
        if ((role == StaffRole.DepartmentHandler) != !string.IsNullOrWhiteSpace(departmentCode))
        {
            throw new InvalidInputException("department_code", "部门经办人必须指定部门，其他角色不指定部门");
        }

        if (!string.IsNullOrWhiteSpace(departmentCode) && catalog.Current.FindDepartment(departmentCode.Trim()) is null)
        {
            throw new InvalidInputException("department_code", $"没有部门 {departmentCode}");
        }

        var hall = string.IsNullOrWhiteSpace(hallCode) ? null : catalog.FindHall(hallCode.Trim()).Code;
        var account = new StaffAccount(Guid.CreateVersion7(), userName.Trim(), displayName.Trim(), role,
            string.IsNullOrWhiteSpace(departmentCode) ? null : departmentCode.Trim(), hall, "");
        account = account with { PasswordHash = hasher.HashPassword(account, password) };
        return await store.AddAccountAsync(account, cancellationToken)
            ? account
            : throw new InvalidInputException("user_name", $"用户名 {userName} 已存在");
    }

    /// <summary>Signs in from <paramref name="source"/> (the caller's address), or refuses with one answer for every reason.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt, StaffAccount Account)> SignInAsync(
        string userName, string password, CancellationToken cancellationToken, string source = "")
    {
        if (string.IsNullOrEmpty(userName))
        {
            throw new InvalidInputException("user_name", "不能为空");
        }

        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidInputException("password", "不能为空");
        }

        // Before anything is logged or hashed: the security log keeps the name as typed.
        TextLimits.Check(userName, "user_name", TextLimits.UserName);
        TextLimits.Check(password, "password", TextLimits.Password);

        var settings = options.Value;
        var sourceWindow = TimeSpan.FromMinutes(settings.SourceWindowMinutes);
        if (throttle.IsBlocked(source, settings.FailuresPerSource, sourceWindow))
        {
            metrics?.SignInFailed(SecurityEventKinds.SourceThrottled);
            await LogAsync(SecurityEventKinds.SourceThrottled, userName, source, "来源失败次数过多", cancellationToken);
            throw new UnauthenticatedException("登录失败次数过多，请稍后再试");
        }

        var found = await store.FindStandingAsync(userName, cancellationToken);
        // The one hash of this attempt, whatever follows: an unknown name is checked against a dummy hash.
        var matches = hasher.VerifyHashedPassword(found?.Account ?? NoAccount, found?.Account.PasswordHash ?? _dummyHash.Value, password)
            != PasswordVerificationResult.Failed;
        var now = time.GetUtcNow();
        var refusal = found switch
        {
            null => "未知用户名",
            { Standing.IsDisabled: true } => "账户已停用",
            { Standing.LockedUntil: { } until } when until > now => "账户锁定期间尝试登录",
            _ when !matches => "密码错误",
            _ => null,
        };
        if (refusal is not null)
        {
            throttle.RecordFailure(source, sourceWindow);
            metrics?.SignInFailed(SecurityEventKinds.SignInFailed);
            await LogAsync(SecurityEventKinds.SignInFailed, userName, source, refusal, cancellationToken);
            if (found is { } known && !matches)
            {
                await CountFailureAsync(known.Account, source, now, cancellationToken);
            }

            throw new UnauthenticatedException(Refusal);
        }

        var account = found!.Value.Account;
        if (found.Value.Standing.FailedSignIns > 0)
        {
            await store.ClearFailuresAsync(account.UserName, cancellationToken);
        }

        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var expiresAt = now.AddHours(settings.SessionHours);
        await store.AddStaffSessionAsync(Hash(token), account.Id, expiresAt, now, cancellationToken);
        return (token, expiresAt, account);
    }

    private async Task CountFailureAsync(StaffAccount account, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var failures = await store.CountFailedSignInAsync(account.Id, cancellationToken);
        if (failures >= options.Value.FailuresBeforeLockout)
        {
            var until = now.AddMinutes(options.Value.LockoutMinutes);
            await store.LockAsync(account.Id, until, cancellationToken);
            await LogAsync(SecurityEventKinds.LockedOut, account.UserName, source, $"连续 {failures} 次失败，锁定至 {until:O}", cancellationToken);
        }
    }

    /// <summary>
    /// The account behind a sign-in token, or null when the token is unknown, signed out, expired or idle too long, or the
    /// account is disabled. A use (<paramref name="touch"/>) restarts the idle timeout; a stream's re-check does not.
    /// </summary>
    public async Task<StaffAccount?> FindSessionAccountAsync(string token, CancellationToken cancellationToken, bool touch = true)
    {
        var now = time.GetUtcNow();
        var account = await store.FindSessionAccountAsync(Hash(token), now, now.AddMinutes(-options.Value.IdleMinutes), cancellationToken);
        if (account is not null && touch)
        {
            await store.TouchSessionAsync(Hash(token), now, cancellationToken);
        }

        return account;
    }

    /// <summary>Ends the session of <paramref name="token"/> on the server: the token is refused from now on.</summary>
    public async Task SignOutAsync(StaffAccount account, string token, CancellationToken cancellationToken)
    {
        await store.RemoveSessionAsync(Hash(token), cancellationToken);
        await LogAsync(SecurityEventKinds.SignedOut, account.UserName, "", "", cancellationToken);
    }

    /// <summary>Changes the caller's password; the old one is required, and every other session of the account ends.</summary>
    public async Task ChangePasswordAsync(StaffAccount account, string token, string oldPassword, string newPassword, CancellationToken cancellationToken)
    {
        TextLimits.Check(oldPassword, "old_password", TextLimits.Password);
        TextLimits.Check(newPassword, "new_password", TextLimits.Password);
        if (hasher.VerifyHashedPassword(account, account.PasswordHash, oldPassword) == PasswordVerificationResult.Failed)
        {
            await LogAsync(SecurityEventKinds.PasswordChangeRefused, account.UserName, "", "原密码不正确", cancellationToken);
            throw new InvalidInputException("old_password", "原密码不正确");
        }

        PasswordRules.Check(newPassword, account.UserName, "new_password");
        await store.SetPasswordHashAsync(account.Id, hasher.HashPassword(account, newPassword), Hash(token), cancellationToken);
        await LogAsync(SecurityEventKinds.PasswordChanged, account.UserName, "", "", cancellationToken);
    }

    internal Task LogAsync(string kind, string userName, string source, string detail, CancellationToken cancellationToken) =>
        store.AddSecurityEventAsync(new SecurityEvent(time.GetUtcNow(), kind, userName, source, detail), cancellationToken);

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The kinds of row in the security log.</summary>
public static class SecurityEventKinds
{
    public const string SignInFailed = "sign-in-failed";
    public const string LockedOut = "locked-out";
    public const string SourceThrottled = "source-throttled";
    public const string Unlocked = "unlocked";
    public const string Disabled = "disabled";
    public const string Enabled = "enabled";
    public const string SignedOut = "signed-out";
    public const string PasswordChanged = "password-changed";
    public const string PasswordChangeRefused = "password-change-refused";
}

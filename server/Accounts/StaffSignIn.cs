using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Accounts;

/// <summary>How long a console sign-in lasts. Section "Accounts".</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    [Range(1, 24 * 30)]
    public int SessionHours { get; set; } = 12;
}

/// <summary>
/// Staff accounts and their sign-in. Passwords are hashed with ASP.NET Core Identity's PBKDF2 hasher; a token is
/// 256 random bits given to the client once, and only its SHA-256 is stored.
/// </summary>
public sealed class StaffSignIn(IAccountStore store, CatalogSource catalog, TimeProvider time, IOptions<AccountOptions> options)
{
    private static readonly PasswordHasher<StaffAccount> Hasher = new();

    public const int MinimumPasswordLength = 10;

    public async Task<StaffAccount> CreateAccountAsync(
        string userName, string displayName, StaffRole role, string? departmentCode, string password, CancellationToken cancellationToken,
        string? hallCode = null)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            throw new InvalidInputException("user_name", "不能为空");
        }

        if (password.Length < MinimumPasswordLength)
        {
            throw new InvalidInputException("password", $"至少 {MinimumPasswordLength} 个字符");
        }

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
        account = account with { PasswordHash = Hasher.HashPassword(account, password) };
        return await store.AddAccountAsync(account, cancellationToken)
            ? account
            : throw new InvalidInputException("user_name", $"用户名 {userName} 已存在");
    }

    public async Task<(string Token, DateTimeOffset ExpiresAt, StaffAccount Account)> SignInAsync(
        string userName, string password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(userName))
        {
            throw new InvalidInputException("user_name", "不能为空");
        }

        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidInputException("password", "不能为空");
        }

        var account = await store.FindAccountAsync(userName, cancellationToken);
        // One answer for an unknown name and a wrong password, so the answer does not reveal which names exist.
        if (account is null || Hasher.VerifyHashedPassword(account, account.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            throw new UnauthenticatedException("用户名或密码不正确");
        }

        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var expiresAt = time.GetUtcNow().AddHours(options.Value.SessionHours);
        await store.AddStaffSessionAsync(Hash(token), account.Id, expiresAt, cancellationToken);
        return (token, expiresAt, account);
    }

    /// <summary>The account behind a sign-in token, or null when the token is unknown or its session expired.</summary>
    public Task<StaffAccount?> FindSessionAccountAsync(string token, CancellationToken cancellationToken) =>
        store.FindSessionAccountAsync(Hash(token), time.GetUtcNow(), cancellationToken);

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

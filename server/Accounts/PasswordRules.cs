using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Accounts;

/// <summary>
/// What a staff password must be: at least 12 characters and not the user name nor one of the common passwords a guesser tries first
/// (common-passwords.txt, embedded; compared ignoring case and surrounding spaces).
/// </summary>
public static class PasswordRules
{
    public const int MinimumLength = 12;

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommon);

    /// <summary>Refuses a password that breaks a rule, naming <paramref name="field"/> as the input at fault.</summary>
    public static void Check(string password, string userName, string field = "password")
    {
        if (password.Length < MinimumLength)
        {
            throw new InvalidInputException(field, $"至少 {MinimumLength} 个字符");
        }

        var normalized = password.Trim().ToLowerInvariant();
        // Two characters or fewer repeated ("aaaaaaaaaaaa", "abababababab") is as good as on the list.
        if (Common.Value.Contains(normalized) || normalized.Distinct().Count() <= 2
            || normalized == userName.Trim().ToLowerInvariant())
        {
            throw new InvalidInputException(field, "过于常见，请换一个不易猜到的密码");
        }
    }

    private static HashSet<string> LoadCommon()
    {
        using var stream = typeof(PasswordRules).Assembly.GetManifestResourceStream("ServiceHall.Server.common-passwords.txt")
            ?? throw new InvalidOperationException("common-passwords.txt is not embedded");
        using var reader = new StreamReader(stream);
        var common = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                common.Add(line.Trim().ToLowerInvariant());
            }
        }

        return common;
    }
}

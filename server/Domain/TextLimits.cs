namespace ServiceHall.Server.Domain;

/// <summary>
/// How long the free text an RPC takes outside a case step may be (a step's inputs declare their own,
/// <see cref="StepInput.MaxLength"/>). Every such text is stored, logged or published, so none is unbounded: a reason is
/// a sentence, not a document (docs/deployment.md#input-and-stream-limits).
/// </summary>
public static class TextLimits
{
    /// <summary>A reason given for revealing a number, hiding a text or correcting a publication.</summary>
    public const int Reason = 200;

    /// <summary>A staff user name, as typed at sign-in or named by an administrator.</summary>
    public const int UserName = 64;

    /// <summary>A password: far above the 12 a password needs, far below what would make hashing it costly.</summary>
    public const int Password = 256;

    /// <summary>A kiosk's software version, as its heartbeat reports it.</summary>
    public const int Version = 64;

    /// <summary>Refuses <paramref name="value"/> when it is longer than <paramref name="max"/>, naming the field.</summary>
    public static void Check(string? value, string field, int max)
    {
        if (value is not null && value.Length > max)
        {
            throw new InvalidInputException(field, $"不超过 {max} 个字符");
        }
    }
}

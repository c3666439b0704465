using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace ServiceHall.Server.Storage;

/// <summary>
/// Encrypts a rater's contact data before it is stored, so the database alone never shows who rated
/// (51号: the rater's identity is protected). Keys are managed by ASP.NET Core Data Protection.
/// </summary>
public sealed class ContactProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("ServiceHall.RaterContact.v1");

    public string Protect(string plain) => _protector.Protect(plain);

    public string Unprotect(string cipher) => _protector.Unprotect(cipher);

    /// <summary>
    /// The number, or null when the key that encrypted it is gone (the key folder was lost or replaced): the number can
    /// no longer be read by anyone (docs/deployment.md#keys).
    /// </summary>
    public string? TryUnprotect(string cipher)
    {
        try
        {
            return _protector.Unprotect(cipher);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>138****1234: enough for a handler to recognise a number, not to dial it.</summary>
    public static string Mask(string phone) => phone.Length == 11 ? phone[..3] + "****" + phone[7..] : "****";
}

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

    /// <summary>138****1234: enough for a handler to recognise a number, not to dial it.</summary>
    public static string Mask(string phone) => phone.Length == 11 ? phone[..3] + "****" + phone[7..] : "****";
}

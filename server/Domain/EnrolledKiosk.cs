namespace ServiceHall.Server.Domain;

/// <summary>
/// A kiosk or window pad an administrator enrolled: it may submit ratings for its own hall only, with its own
/// credential, until it is revoked (DESIGN.md, security model). Only the credential's hash is kept.
/// </summary>
public sealed record EnrolledKiosk(
    string DeviceId, string HallCode, string CredentialHash, DateTimeOffset EnrolledAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}

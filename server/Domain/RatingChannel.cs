namespace ServiceHall.Server.Domain;

/// <summary>Where a rating was made, as in the national channel list (GB/T 39046).</summary>
public enum RatingChannel
{
    Pc = 1,
    Mobile = 2,
    QrCode = 3,
    HallPad = 4,
    HallTerminal = 5,
    Phone = 6,
    Sms = 7,
}

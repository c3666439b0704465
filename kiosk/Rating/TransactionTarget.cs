namespace ServiceHall.Kiosk.Rating;

/// <summary>
/// One finished transaction (办件) offered for rating, as the window system reported it: what the staff card shows and
/// what the rating carries (一次一评, GB/T 39734).
/// </summary>
public sealed record TransactionTarget(
    string TransactionNumber,
    string ShortCode,
    string WindowCode,
    string WindowName,
    string DepartmentName,
    string ServiceItemCode,
    string ServiceItemName,
    string StaffId,
    string StaffName,
    string StaffTitle,
    DateTimeOffset? RateBy);

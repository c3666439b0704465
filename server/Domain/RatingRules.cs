using System.Text.RegularExpressions;

namespace ServiceHall.Server.Domain;

/// <summary>Limits a district may tune; the defaults are what the kiosks are built for.</summary>
public sealed record RatingLimits(int MaxTextLength = 500, TimeSpan? ClockSkew = null, TimeSpan? LateArrival = null)
{
    /// <summary>How far ahead of the server's clock (or behind it) a device's clock may run.</summary>
    public TimeSpan AllowedClockSkew => ClockSkew ?? TimeSpan.FromMinutes(5);

    /// <summary>A rating received more than this after it was made is marked as a late arrival.</summary>
    public TimeSpan LateArrivalAfter => LateArrival ?? TimeSpan.FromHours(24);
}

/// <summary>
/// Checks a submission against the catalog and the rules of docs/rules/ratings.md#what-a-rating-needs and turns it into
/// a rating.
/// </summary>
public static partial class RatingRules
{
    /// <summary>The longest code (hall, window, item, staff, tag, version, transaction, device) a rating may carry.</summary>
    public const int MaxCodeLength = 64;

    /// <summary>More tags than any list holds is not a citizen's choice.</summary>
    public const int MaxReasonTags = 32;

    /// <summary>
    /// A callback number is a mainland mobile number: 1, then 3–9, then nine digits. Kiosks receive this pattern in the
    /// catalog and check it before a citizen leaves the screen.
    /// </summary>
    public const string CallbackPhonePattern = "^1[3-9][0-9]{9}$";

    /// <summary>
    /// Returns the rating, or the first rule the submission breaks. <paramref name="deviceFirstEnrolledAt"/>, when
    /// known, is when the sending device was first enrolled: no rating it sends can have been made before.
    /// </summary>
    public static (Rating? Rating, RatingRejection? Rejection) Check(
        RatingSubmission s, DistrictCatalog catalog, RatingLimits limits, DateTimeOffset now, DateTimeOffset? deviceFirstEnrolledAt = null)
    {
        if (!Guid.TryParse(s.RatingId, out var id) || id == Guid.Empty)
        {
            return Reject("rating_id", "必须是客户端生成的 UUID");
        }

        if (s.UnreadableField is { } unreadable)
        {
            return Reject(unreadable, "无法读取：时间超出有效范围");
        }

        if (CheckSizes(s) is { } oversized)
        {
            return (null, oversized);
        }

        var hall = catalog.FindHall(s.HallCode);
        if (hall is null)
        {
            return Reject("hall_code", string.IsNullOrEmpty(s.HallCode) ? "不能为空" : $"未知的大厅 {Shorten(s.HallCode)}");
        }

        if (s.WindowCode.Length == 0 && s.ServiceItemCode.Length == 0)
        {
            return Reject("window_code", "评价对象缺失：至少填写窗口或事项之一");
        }

        ServiceWindow? window = null;
        if (s.WindowCode.Length > 0)
        {
            window = hall.FindWindow(s.WindowCode);
            if (window is null)
            {
                return Reject("window_code", $"大厅 {hall.Code} 没有窗口 {Shorten(s.WindowCode)}");
            }
        }

        ServiceItem? item = null;
        if (s.ServiceItemCode.Length > 0)
        {
            item = catalog.FindServiceItem(s.ServiceItemCode);
            if (item is null)
            {
                return Reject("service_item_code", $"未知的事项 {Shorten(s.ServiceItemCode)}");
            }

            // A kiosk of one hall rating an item only another hall offers would send the case to a department with no
            // window there. The window rated is one of the hall's, so an item it handles is offered in the hall.
            if (!hall.Windows.Any(w => w.ServiceItemCodes.Contains(item.Code)))
            {
                return Reject("service_item_code", $"大厅 {hall.Code} 不办理此事项");
            }
        }

        // Rosters change with every shift: a staff number not on today's roster may well have been on it when the
        // citizen rated on a kiosk that was offline since. It is stored as given and marked for a person to review.
        var staffNotOnRoster = s.StaffId.Length > 0 && !(window?.Staff.Any(m => m.StaffId == s.StaffId) ?? hall.HasStaff(s.StaffId));

        if (s.Channel is not { } channel)
        {
            return Reject("channel", "评价渠道未指定或未知");
        }

        if (s.Level is not { } level)
        {
            return Reject("level", "评价等级必须是五级之一（非常满意 … 非常不满意）");
        }

        // A default is what the regime records when no citizen rated: never a 差评 (a complaint must come from a citizen),
        // and with nothing a citizen would have written.
        if (s.SystemDefault && level.IsBad())
        {
            return Reject("system_default", "系统默认评价不能是差评");
        }

        if (s.SystemDefault && (s.Text.Length > 0 || s.CallbackPhone.Length > 0 || s.ReasonTagCodes.Count > 0))
        {
            return Reject("system_default", "系统默认评价不带原因标签、文字和回访电话");
        }

        var tagRejection = CheckTags(s, catalog, level);
        if (tagRejection is not null)
        {
            return (null, tagRejection);
        }

        var text = s.Text.Trim();
        if (text.Length > limits.MaxTextLength)
        {
            return Reject("text", $"文字评价不能超过 {limits.MaxTextLength} 字");
        }

        // A 差评 must say why: at least one reason tag or a text (GB/T 39734).
        if (level.IsBad() && s.ReasonTagCodes.Count == 0 && text.Length == 0)
        {
            return Reject("reason_tag_codes", "差评须至少选择一个原因标签或填写文字评价");
        }

        if (s.RatedAt is not { } ratedAt)
        {
            return Reject("rated_at", "不能为空");
        }

        if (ratedAt > now + limits.AllowedClockSkew)
        {
            return Reject("rated_at", "评价时间晚于服务器时间，请校准设备时钟");
        }

        // No lower bound would let a device date a rating 1970 or year 1. Its first enrolment (not its latest: a
        // re-enrolled kiosk's outbox must still get through) is the earliest it can have taken one.
        if (deviceFirstEnrolledAt is { } enrolled && ratedAt < enrolled - limits.AllowedClockSkew)
        {
            return Reject("rated_at", "评价时间早于设备首次登记时间");
        }

        if (s.CallbackPhone.Length > 0 && !MainlandMobile().IsMatch(s.CallbackPhone))
        {
            return Reject("callback_phone", "回访电话须为 11 位手机号码");
        }

        // 谁办理、谁负责: the department that owns the item answers for it; a rating of a window alone goes to the
        // window's department.
        var departmentCode = item?.DepartmentCode ?? window!.DepartmentCode;

        var rating = new Rating(
            id,
            NullIfEmpty(s.TransactionNumber),
            hall.Code,
            hall.RegionCode,
            window?.Code,
            item?.Code,
            departmentCode,
            NullIfEmpty(s.StaffId),
            channel,
            level,
            s.ReasonTagCodes.ToList(),
            s.ReasonTagCodes.Count > 0 ? s.ReasonTagListVersion : null,
            NullIfEmpty(text),
            ratedAt,
            now,
            NullIfEmpty(s.CallbackPhone),
            NullIfEmpty(s.DeviceId))
        {
            StaffNotOnRoster = staffNotOnRoster,
            ArrivedLate = now - ratedAt > limits.LateArrivalAfter,
            IsActive = !s.SystemDefault,
        };
        return (rating, null);
    }

    /// <summary>
    /// Every code has a length limit and no control characters (a NUL is refused by PostgreSQL, which would fail the
    /// whole batch's transaction): checked before anything is looked up, so no reason echoes a long string.
    /// </summary>
    private static RatingRejection? CheckSizes(RatingSubmission s)
    {
        (string Field, string Value)[] codes =
        [
            ("hall_code", s.HallCode), ("window_code", s.WindowCode), ("service_item_code", s.ServiceItemCode),
            ("staff_id", s.StaffId), ("reason_tag_list_version", s.ReasonTagListVersion),
            ("transaction_number", s.TransactionNumber), ("device_id", s.DeviceId), ("callback_phone", s.CallbackPhone),
        ];
        foreach (var (field, value) in codes.Concat(s.ReasonTagCodes.Select(c => ("reason_tag_codes", c))))
        {
            if (value.Length > MaxCodeLength)
            {
                return new(field, $"不能超过 {MaxCodeLength} 个字符");
            }

            if (value.Any(char.IsControl))
            {
                return new(field, "含有控制字符");
            }
        }

        if (s.ReasonTagCodes.Count > MaxReasonTags)
        {
            return new("reason_tag_codes", $"最多 {MaxReasonTags} 个标签");
        }

        // Line breaks are a citizen's; a NUL is not text.
        return s.Text.Contains('\0') ? new("text", "含有无效字符") : null;
    }

    private static RatingRejection? CheckTags(RatingSubmission s, DistrictCatalog catalog, RatingLevel level)
    {
        if (s.ReasonTagCodes.Count == 0)
        {
            return null;
        }

        // Checked against the version the rating was made with: a list update while a kiosk was offline does not
        // turn its ratings into rejections. A version never published is another matter.
        var list = catalog.FindReasonTags(s.ReasonTagListVersion);
        if (list is null)
        {
            return new("reason_tag_list_version", $"标签列表版本 {Shorten(s.ReasonTagListVersion)} 从未发布");
        }

        if (s.ReasonTagCodes.Distinct().Count() != s.ReasonTagCodes.Count)
        {
            return new("reason_tag_codes", "同一标签不能重复");
        }

        foreach (var code in s.ReasonTagCodes)
        {
            var tag = list.Find(code);
            if (tag is null)
            {
                return new("reason_tag_codes", $"标签 {Shorten(code)} 不在 {list.Version} 版列表中");
            }

            if (!tag.Levels.Contains(level))
            {
                return new("reason_tag_codes", $"标签“{tag.Label}”不适用于“{level.Label()}”");
            }
        }

        return null;
    }

    private static (Rating?, RatingRejection?) Reject(string field, string reason) => (null, new RatingRejection(field, reason));

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    // Echo at most a little of what the client sent, so a reason never carries a long or hostile string.
    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    [GeneratedRegex(CallbackPhonePattern)]
    private static partial Regex MainlandMobile();
}

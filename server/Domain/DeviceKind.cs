namespace ServiceHall.Server.Domain;

/// <summary>
/// What an enrolled device is, and so what its credential may do (docs/rules/ratings.md#device-kinds). A credential
/// does the job of its kind and nothing else: a stolen pad credential cannot report transactions, a business system's
/// cannot rate.
/// </summary>
public enum DeviceKind
{
    /// <summary>政务大厅其他终端: the free-standing kiosk in the hall.</summary>
    HallTerminal = 1,

    /// <summary>政务大厅平板电脑: the pad on one window's counter (一次一评).</summary>
    WindowPad = 2,

    /// <summary>The window's business system: reports finished transactions, never rates.</summary>
    WindowSystem = 3,
}

/// <summary>What each kind of device may do, in one place: the policies, the intake and the refusals read it here.</summary>
public static class DeviceKinds
{
    public static string Label(this DeviceKind kind) => kind switch
    {
        DeviceKind.HallTerminal => "大厅评价终端",
        DeviceKind.WindowPad => "窗口评价器",
        DeviceKind.WindowSystem => "窗口业务系统",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The one channel a device of this kind rates with; null for a kind that does not rate.</summary>
    public static RatingChannel? RatingChannel(this DeviceKind kind) => kind switch
    {
        DeviceKind.HallTerminal => Domain.RatingChannel.HallTerminal,
        DeviceKind.WindowPad => Domain.RatingChannel.HallPad,
        DeviceKind.WindowSystem => null,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>What the device may do, in the words a refusal gives.</summary>
    public static string Duty(this EnrolledKiosk device) => device.Kind switch
    {
        DeviceKind.HallTerminal => "只能以“政务大厅其他终端”渠道提交本大厅的评价、凭评价码查找办件",
        DeviceKind.WindowPad => $"只能以“政务大厅平板电脑”渠道评价本窗口 {device.WindowCode} 的办件（含凭评价码）、接收本窗口的办结提醒",
        DeviceKind.WindowSystem => "只能报送本大厅办结的办件（及转交上游系统对其记录的默认评价），不能评价",
        _ => throw new ArgumentOutOfRangeException(nameof(device), device.Kind, null),
    };

    /// <summary>The refusal of a device asked to do what its kind does not.</summary>
    public static string OutsideItsJob(this EnrolledKiosk device) =>
        $"设备 {device.DeviceId} 是{device.Kind.Label()}，{device.Duty()}";

    /// <summary>
    /// Why this device may not send this rating, or null if it may: its kind's channel only, and a pad only for its own
    /// window. A channel the server does not know is left to <see cref="RatingRules"/>, which rejects that rating alone.
    /// </summary>
    public static string? MayNotRate(this EnrolledKiosk device, RatingSubmission submission)
    {
        // A business system never rates; it only relays the default its upstream platform recorded for one of its
        // transactions. A device in the hall records only what a citizen chose.
        if (device.Kind.RatingChannel() is not { } channel)
        {
            return submission.SystemDefault && submission.TransactionNumber.Length > 0 ? null : device.OutsideItsJob();
        }

        if (submission.SystemDefault)
        {
            return $"{device.OutsideItsJob()}，不能提交系统默认评价";
        }

        if (submission.Channel is { } sent && Enum.IsDefined(sent) && sent != channel)
        {
            return $"{device.OutsideItsJob()}，不能以“{sent.Label()}”渠道提交评价";
        }

        return device.Kind == DeviceKind.WindowPad && submission.WindowCode != device.WindowCode
            ? $"{device.OutsideItsJob()}，不能评价窗口 {(submission.WindowCode.Length == 0 ? "（未填）" : submission.WindowCode)}"
            : null;
    }
}

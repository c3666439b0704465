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

public static class RatingChannels
{
    /// <summary>The channel's name in the national list (GB/T 39046).</summary>
    public static string Label(this RatingChannel channel) => channel switch
    {
        RatingChannel.Pc => "PC端",
        RatingChannel.Mobile => "移动服务端",
        RatingChannel.QrCode => "二维码",
        RatingChannel.HallPad => "政务大厅平板电脑",
        RatingChannel.HallTerminal => "政务大厅其他终端",
        RatingChannel.Phone => "电话",
        RatingChannel.Sms => "短信",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };
}

namespace ServiceHall.Server.Domain;

/// <summary>
/// The one follow-up (追评) a rating may get, by the citizen who holds the rated transaction's receipt
/// (docs/rules/ratings.md#follow-up-ratings): a text added to the rating; the level and the figures stay as rated.
/// </summary>
public sealed record FollowUp(Guid Id, Guid RatingId, string Text, DateTimeOffset WrittenAt, DateTimeOffset ReceivedAt, string DeviceId)
{
    public const string NotRatedYet = "该办件尚未评价，请先评价";
    public const string HasFollowUp = "该评价已追评过，每条评价只能追评一次";

    /// <summary>The follow-up as sent, checked: a UUID id, a text of 1 to <paramref name="maxTextLength"/> characters, a time not ahead of the server's clock.</summary>
    public static FollowUp Check(
        string followUpId, Guid ratingId, string text, DateTimeOffset? writtenAt, string deviceId, int maxTextLength, TimeSpan skew, DateTimeOffset now)
    {
        if (!Guid.TryParse(followUpId, out var id))
        {
            throw new InvalidInputException("follow_up_id", "必须是客户端生成的 UUID");
        }

        text = PublicText.StripControls(text).Trim();
        if (text.Length == 0)
        {
            throw new InvalidInputException("text", "追评内容不能为空");
        }

        if (text.Length > maxTextLength)
        {
            throw new InvalidInputException("text", $"追评不能超过 {maxTextLength} 字");
        }

        if (writtenAt is not { } at || at > now + skew)
        {
            throw new InvalidInputException("written_at", writtenAt is null ? "不能为空" : "追评时间晚于服务器时间，请校准设备时钟");
        }

        return new FollowUp(id, ratingId, text, at, now, deviceId);
    }
}

/// <summary>What storing a follow-up did.</summary>
public enum FollowUpStored
{
    Stored,
    AlreadyStored,
    RatingHasFollowUp,
}

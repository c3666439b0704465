using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ServiceHall.ProvinceStub;

/// <summary>
/// What the province checks of each item, written from the wire format (docs/provincial-relay.md), not from the server's code:
/// a server that coded a level or a channel the wrong way round is refused here.
/// </summary>
public static partial class UploadCheck
{
    /// <summary>The provincial level coding: 1 = 非常不满意 … 5 = 非常满意.</summary>
    public static readonly IReadOnlyDictionary<int, string> Satisfaction = new Dictionary<int, string>
    {
        [1] = "非常不满意",
        [2] = "不满意",
        [3] = "基本满意",
        [4] = "满意",
        [5] = "非常满意",
    };

    /// <summary>The national channel list (GB/T 39046).</summary>
    public static readonly IReadOnlyDictionary<int, string> Channels = new Dictionary<int, string>
    {
        [1] = "PC端",
        [2] = "移动服务端",
        [3] = "二维码",
        [4] = "政务大厅平板电脑",
        [5] = "政务大厅其他终端",
        [6] = "电话",
        [7] = "短信",
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")]
    private static partial Regex BeijingTime();

    [GeneratedRegex(@"^\d{6}$")]
    private static partial Regex AreaCode();

    /// <summary>Why an item is refused, or null when it is well formed.</summary>
    public static string? WhyRefused(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return "not an object";
        }

        var itemType = Text(item, "itemType");
        return itemType switch
        {
            "rating" => Rating(item),
            "not_rated" => Required(item, "projectNo", "hallCode", "windowCode", "deptCode", "taskCode") ?? Time(item, "finishTime"),
            "case_step" => Required(item, "caseId", "evaluationId", "stepName", "stateName", "deptCode")
                           ?? (Number(item, "stepNo") is >= 1 ? null : "stepNo: must be 1 or more") ?? Time(item, "stepTime"),
            _ => $"itemType: unknown '{itemType}'",
        };
    }

    private static string? Rating(JsonElement item)
    {
        if (Required(item, "evaluationId", "areaCode", "hallCode", "deptCode", "satisfactionName", "channelName") is { } missing)
        {
            return missing;
        }

        if (!AreaCode().IsMatch(Text(item, "areaCode")!))
        {
            return "areaCode: must be a 6-digit administrative region code";
        }

        var level = Number(item, "satisfaction");
        if (level is null || !Satisfaction.TryGetValue(level.Value, out var label))
        {
            return "satisfaction: must be 1–5";
        }

        if (label != Text(item, "satisfactionName"))
        {
            return $"satisfaction: code {level} is {label} in the provincial coding, not {Text(item, "satisfactionName")}";
        }

        var channel = Number(item, "channel");
        if (channel is null || !Channels.TryGetValue(channel.Value, out var channelName) || channelName != Text(item, "channelName"))
        {
            return "channel: not a code of the national channel list, or its name does not match";
        }

        if (Number(item, "active") is not (0 or 1) || Number(item, "realName") is not (0 or 1))
        {
            return "active, realName: must be 0 or 1";
        }

        // A 差评 must carry a reason or a text (GB/T 39734).
        var bad = level <= 2;
        var reasons = item.TryGetProperty("reasonCodes", out var r) && r.ValueKind == JsonValueKind.Array ? r.GetArrayLength() : 0;
        if (bad && reasons == 0 && string.IsNullOrEmpty(Text(item, "evaluationText")))
        {
            return "reasonCodes: a 差评 needs a reason or a text";
        }

        return Time(item, "evaluationTime");
    }

    private static string? Required(JsonElement item, params string[] names) =>
        names.FirstOrDefault(n => string.IsNullOrWhiteSpace(Text(item, n))) is { } missing ? $"{missing}: required" : null;

    private static string? Time(JsonElement item, string name) =>
        Text(item, name) is { } value && BeijingTime().IsMatch(value)
        && DateTime.TryParseExact(value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? null
            : $"{name}: must be yyyy-MM-dd HH:mm:ss (Beijing time)";

    internal static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Number(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;
}

namespace ServiceHall.Server.Domain;

/// <summary>Failures of the provincial upload of one kind (timeout, server error, …): how many, and the last one.</summary>
public sealed record RelayErrorCount(string Kind, long Count, DateTimeOffset LastAt, string LastMessage);

/// <summary>
/// Where the provincial upload stands (docs/provincial-relay.md#status): what waits, since when, when the province last took a
/// batch, what it refused and what went wrong.
/// </summary>
public sealed record ProvincialRelayStatus(
    bool Enabled,
    long Pending,
    DateTimeOffset? OldestPendingQueuedAt,
    DateTimeOffset? LastSuccessAt,
    long Delivered,
    long Refused,
    IReadOnlyList<RelayErrorCount> Errors)
{
    /// <summary>
    /// The relay stopped draining: something has waited longer than <paramref name="stalledAfter"/> and no batch was delivered
    /// in that time either. A long queue that is moving is not stalled; a queue whose oldest item is stuck is.
    /// </summary>
    public bool IsStalled(DateTimeOffset now, TimeSpan stalledAfter) =>
        Enabled && Pending > 0 && OldestPendingQueuedAt is { } oldest && now - oldest > stalledAfter
        && (LastSuccessAt is not { } last || now - last > stalledAfter);
}

/// <summary>The kinds a failed upload is counted under, and how the console names them.</summary>
public static class RelayFailureKinds
{
    public const string Timeout = "timeout";
    public const string Network = "network";
    public const string ServerError = "server_error";
    public const string Signature = "signature";
    public const string RequestRefused = "request_refused";
    public const string BadAnswer = "bad_answer";
    public const string ItemsRefused = "refused";

    public static string Label(string kind) => kind switch
    {
        Timeout => "省平台应答超时",
        Network => "网络中断或连接被断开",
        ServerError => "省平台服务器错误（5xx）",
        Signature => "签名校验未通过（请核对共享密钥和服务器时间）",
        RequestRefused => "请求被省平台拒绝（4xx）",
        BadAnswer => "省平台应答格式不符",
        ItemsRefused => "条目被省平台拒收",
        _ => kind,
    };
}

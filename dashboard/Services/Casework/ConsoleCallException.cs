using Grpc.Core;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>Why a console call to the server failed, in the terms the pages act on.</summary>
public enum ConsoleFailure
{
    /// <summary>The token is missing, expired or revoked: back to sign-in.</summary>
    SignInRequired,

    /// <summary>InvalidArgument: the server names the field at fault beside its message.</summary>
    InvalidInput,

    /// <summary>FailedPrecondition: the case's state does not allow the step.</summary>
    NotAllowedNow,

    /// <summary>PermissionDenied: the role or department may not do this.</summary>
    NoPermission,

    NotFound,

    /// <summary>Aborted: someone else changed the case meanwhile; reload and retry.</summary>
    ChangedMeanwhile,

    /// <summary>The server cannot be reached or failed.</summary>
    Unavailable,
}

/// <summary>A refused or failed console call, with the text to show the user.</summary>
public sealed class ConsoleCallException(ConsoleFailure failure, string detail, string? field = null, Exception? inner = null)
    : Exception(detail, inner)
{
    public ConsoleFailure Failure { get; } = failure;

    /// <summary>The server's own explanation, e.g. "整改期限不能早于今天".</summary>
    public string Detail { get; } = detail;

    /// <summary>The request field the server refused (from its BadRequest detail), e.g. "due_day"; null if none.</summary>
    public string? Field { get; } = field;

    /// <summary>What the page shows.</summary>
    public string UserMessage => Failure switch
    {
        ConsoleFailure.SignInRequired => "登录已失效，请重新登录。",
        ConsoleFailure.InvalidInput => FieldLabels.Explain(Field, Detail),
        ConsoleFailure.NotAllowedNow => "当前状态不允许此操作：" + Detail,
        ConsoleFailure.NoPermission => "无权限：" + Detail,
        ConsoleFailure.NotFound => "未找到：" + Detail,
        ConsoleFailure.ChangedMeanwhile => "案件刚被他人更新，请刷新后重试。",
        ConsoleFailure.Unavailable => "暂时无法连接服务器，请稍后重试。",
        _ => Detail,
    };

    /// <summary>What a step's form shows: an input the server refused is named by the step's own label for it.</summary>
    public string MessageFor(OfferedStep step) =>
        Failure == ConsoleFailure.InvalidInput && step.Fields.FirstOrDefault(f => f.Name == Field) is { } field
            ? field.Label + "：" + Detail
            : UserMessage;

    public static ConsoleCallException From(RpcException ex)
    {
        var error = RpcErrors.Read(ex);
        return new ConsoleCallException(FailureOf(error.Code), error.Message, error.FirstFieldError?.Field, ex);
    }

    private static ConsoleFailure FailureOf(StatusCode code) => code switch
    {
        StatusCode.Unauthenticated => ConsoleFailure.SignInRequired,
        StatusCode.InvalidArgument => ConsoleFailure.InvalidInput,
        StatusCode.FailedPrecondition => ConsoleFailure.NotAllowedNow,
        StatusCode.PermissionDenied => ConsoleFailure.NoPermission,
        StatusCode.NotFound => ConsoleFailure.NotFound,
        StatusCode.Aborted => ConsoleFailure.ChangedMeanwhile,
        _ => ConsoleFailure.Unavailable,
    };
}

/// <summary>
/// Chinese names of the request fields outside case steps that the server can name in an InvalidArgument answer; a
/// case step's inputs carry their own labels from the server (see <see cref="ConsoleCallException.MessageFor"/>).
/// </summary>
internal static class FieldLabels
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["user_name"] = "用户名",
        ["password"] = "密码",
        ["old_password"] = "原密码",
        ["new_password"] = "新密码",
        ["case_id"] = "案件编号",
        ["reason"] = "原因",
    };

    /// <summary>("due_day", "整改期限不能早于今天") → "整改期限：整改期限不能早于今天"; the reason alone for no or an unknown field.</summary>
    public static string Explain(string? field, string reason) =>
        field is not null && Labels.TryGetValue(field, out var label) ? label + "：" + reason : reason;
}

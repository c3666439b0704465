using Google.Rpc;
using Grpc.Core;

namespace ServiceHall.Frontend;

/// <summary>A request field the server refused, and why in words a person can read.</summary>
public sealed record FieldError(string Field, string Reason);

/// <summary>
/// A failed call as the server explained it: the status code, the message meant for people, and the structured
/// details beside it (google.rpc.Status in the grpc-status-details-bin trailer) — the fields at fault
/// (google.rpc.BadRequest), the missing or clashing thing (google.rpc.ResourceInfo) and, for FailedPrecondition, the
/// state that stood in the way (google.rpc.PreconditionFailure's violation type, e.g. TRANSACTION_RATED). A client acts
/// on these, never on the wording of the message.
/// </summary>
public sealed record RpcError(
    StatusCode Code, string Message, IReadOnlyList<FieldError> FieldErrors, string? ResourceType = null, string? ResourceName = null,
    string? Condition = null)
{
    /// <summary>The first field at fault, or null when the server named none.</summary>
    public FieldError? FirstFieldError => FieldErrors.Count > 0 ? FieldErrors[0] : null;
}

/// <summary>Reads a failed call's <see cref="RpcError"/>: the one place the kiosk and the dashboard do so.</summary>
public static class RpcErrors
{
    public static RpcError Read(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = exception.GetRpcStatus();
        if (status is null)
        {
            // A status without details (e.g. the server is unreachable, or the refusal came before any service ran).
            return new RpcError(exception.StatusCode, exception.Status.Detail, []);
        }

        var fields = status.GetDetail<BadRequest>()?.FieldViolations.Select(v => new FieldError(v.Field, v.Description)).ToList() ?? [];
        var resource = status.GetDetail<ResourceInfo>();
        var condition = status.GetDetail<PreconditionFailure>()?.Violations.Select(v => v.Type).FirstOrDefault(t => !string.IsNullOrEmpty(t));
        return new RpcError(
            exception.StatusCode,
            status.Message,
            fields,
            string.IsNullOrEmpty(resource?.ResourceType) ? null : resource.ResourceType,
            string.IsNullOrEmpty(resource?.ResourceName) ? null : resource.ResourceName,
            condition);
    }
}

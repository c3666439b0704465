using Google.Rpc;
using Grpc.Core;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>Reads the structured details a refusal carries (google.rpc.Status in the grpc-status-details-bin trailer).</summary>
internal static class RichErrors
{
    /// <summary>The request fields the answer's BadRequest detail names; empty when it has none.</summary>
    public static IReadOnlyList<string> FieldsAtFault(this RpcException e) =>
        e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];

    /// <summary>The answer's ResourceInfo detail, or null.</summary>
    public static ResourceInfo? Resource(this RpcException e) => e.GetRpcStatus()?.GetDetail<ResourceInfo>();
}

using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace ServiceHall.Server.Access;

/// <summary>
/// Answers a gRPC call the policies refused with a gRPC status and the reason in words: Unauthenticated when the
/// credential is missing, unknown or expired, PermissionDenied when the caller is known but may not. Left to the
/// default, ASP.NET Core answers HTTP 401/403, which a gRPC client only reports as "Bad gRPC response".
/// </summary>
public sealed class GrpcRefusal : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || !IsGrpc(context.Request))
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        if (authorizeResult.Challenged)
        {
            Answer(context, StatusCode.Unauthenticated, await AuthenticationFailureAsync(context, policy) ?? "需要凭证");
        }
        else
        {
            var reason = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message;
            Answer(context, StatusCode.PermissionDenied, reason ?? "无权进行此操作");
        }
    }

    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    // The handlers keep their result for the request, so asking again costs no second look-up.
    private static async Task<string?> AuthenticationFailureAsync(HttpContext context, AuthorizationPolicy policy)
    {
        foreach (var scheme in policy.AuthenticationSchemes)
        {
            if ((await context.AuthenticateAsync(scheme)).Failure is { } failure)
            {
                return failure.Message;
            }
        }

        return null;
    }

    /// <summary>A trailers-only gRPC response: the status travels in the headers, as a server sends an error before any message.</summary>
    private static void Answer(HttpContext context, StatusCode code, string message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(message);
    }

    // grpc-message is percent-encoded UTF-8: bytes outside printable ASCII, and '%' itself (gRPC over HTTP/2 spec).
    private static string PercentEncode(string message)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}

using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace ServiceHall.Server.Grpc;

/// <summary>
/// A request message that cannot be decoded is the caller's mistake: it is answered InvalidArgument (gRPC itself answers
/// Unknown, as for a server fault) and logged through <see cref="ClientErrorLog"/>. The message is decoded before any
/// interceptor runs, so the answer is set right here, after the call, while it is still unsent (a unary call that failed
/// to read its request has written nothing but its status).
/// </summary>
public sealed class UndecodableRequests(RequestDelegate next, ClientErrorLog log)
{
    private const string Reason = "request message could not be decoded";

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.Features.Get<IServerCallContextFeature>()?.ServerCallContext.Status is not { StatusCode: StatusCode.Unknown } status
            || !IsUndecodable(status.DebugException))
        {
            return;
        }

        var destination = context.Response.HasStarted
            ? context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers
            : context.Response.Headers;
        if (destination is null)
        {
            return;
        }

        destination["grpc-status"] = ((int)StatusCode.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture);
        destination["grpc-message"] = Uri.EscapeDataString(Reason);
        log.Refused(context.Request.Path, nameof(StatusCode.InvalidArgument), Reason);
    }

    private static bool IsUndecodable(Exception? e) =>
        e is InvalidProtocolBufferException || e?.InnerException is InvalidProtocolBufferException;
}

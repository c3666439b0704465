using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using ServiceHall.Server.Domain;
using Status = Grpc.Core.Status;

namespace ServiceHall.Server.Grpc;

/// <summary>
/// Turns domain exceptions into gRPC status codes in one place, so services carry no try/catch. The message is for
/// people; what a client acts on (the field at fault, the missing thing) travels beside it as google.rpc.Status
/// details: BadRequest field violations for InvalidArgument, ResourceInfo for NotFound and AlreadyExists.
/// </summary>
/// Client errors are logged by <see cref="ClientErrorLog"/> (a line, rate-limited); anything else is a server fault and
/// logged here with its stack trace (gRPC's own handler log is switched off in Program.cs, as it logs a stack trace for
/// every refusal).
public sealed class DomainExceptionInterceptor(
    IHostApplicationLifetime lifetime, ClientErrorLog clientErrors, ILogger<DomainExceptionInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (ToRpcException(e) is { } answer)
        {
            clientErrors.Refused(context.Method, answer.StatusCode.ToString(), answer.Status.Detail);
            throw answer;
        }
        catch (Exception e) when (IsServerFault(e, context))
        {
            throw;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (OperationCanceledException)
            when (context.CancellationToken.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // The watcher went away or the server is stopping: the normal end of a stream, not an error.
        }
        catch (Exception e) when (ToRpcException(e) is { } answer)
        {
            clientErrors.Refused(context.Method, answer.StatusCode.ToString(), answer.Status.Detail);
            throw answer;
        }
        catch (Exception e) when (IsServerFault(e, context))
        {
            throw;
        }
    }

    /// <summary>Logs a fault of the server's own; always false, so the exception goes on as it is.</summary>
    private bool IsServerFault(Exception e, ServerCallContext context)
    {
        if (e is RpcException { StatusCode: not (StatusCode.Unknown or StatusCode.Internal) } rpc)
        {
            clientErrors.Refused(context.Method, rpc.StatusCode.ToString(), rpc.Status.Detail);
        }
        else if (!(e is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
        {
            logger.LogError(e, "Error when executing {Method}", context.Method);
        }

        return false;
    }

    private static RpcException? ToRpcException(Exception e) => e switch
    {
        InvalidInputException invalid => WithDetail(StatusCode.InvalidArgument, invalid.Reason, new BadRequest
        {
            FieldViolations = { new BadRequest.Types.FieldViolation { Field = invalid.Field, Description = invalid.Reason } },
        }),
        NotFoundException { ResourceType: { } type } notFound =>
            WithDetail(StatusCode.NotFound, notFound.Message, Resource(type, notFound.ResourceName, notFound.Message)),
        AlreadyExistsException { ResourceType: { } type } exists =>
            WithDetail(StatusCode.AlreadyExists, exists.Message, Resource(type, exists.ResourceName, exists.Message)),
        NotNowException { Condition: { } condition } notNow => WithDetail(StatusCode.FailedPrecondition, notNow.Message, new PreconditionFailure
        {
            Violations = { new PreconditionFailure.Types.Violation { Type = condition, Description = notNow.Message } },
        }),
        _ => ToStatus(e) is { } status ? new RpcException(status) : null,
    };

    private static Status? ToStatus(Exception e) => e switch
    {
        NotFoundException notFound => new Status(StatusCode.NotFound, notFound.Message),
        UnauthenticatedException unauthenticated => new Status(StatusCode.Unauthenticated, unauthenticated.Message),
        AccessDeniedException denied => new Status(StatusCode.PermissionDenied, denied.Message),
        CasePermissionException denied => new Status(StatusCode.PermissionDenied, denied.Message),
        CaseTransitionException wrongStep => new Status(StatusCode.FailedPrecondition, wrongStep.Message),
        ConcurrentChangeException conflict => new Status(StatusCode.Aborted, conflict.Message),
        NotNowException notNow => new Status(StatusCode.FailedPrecondition, notNow.Message),
        AlreadyExistsException exists => new Status(StatusCode.AlreadyExists, exists.Message),
        _ => null,
    };

    private static ResourceInfo Resource(string type, string? name, string description) =>
        new() { ResourceType = type, ResourceName = name ?? "", Description = description };

    /// <summary>The status with one structured detail, sent in the grpc-status-details-bin trailer.</summary>
    private static RpcException WithDetail(StatusCode code, string message, IMessage detail) =>
        new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(detail) } }.ToRpcException();
}

using Grpc.Core;
using Grpc.Core.Interceptors;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Grpc;

/// <summary>Turns domain exceptions into gRPC status codes in one place, so services carry no try/catch.</summary>
public sealed class DomainExceptionInterceptor(IHostApplicationLifetime lifetime) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (ToStatus(e) is { } status)
        {
            throw new RpcException(status);
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
        catch (Exception e) when (ToStatus(e) is { } status)
        {
            throw new RpcException(status);
        }
    }

    private static Status? ToStatus(Exception e) => e switch
    {
        InvalidInputException invalid => new Status(StatusCode.InvalidArgument, $"{invalid.Field}: {invalid.Reason}"),
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
}

namespace ServiceHall.Server.Domain;

/// <summary>A request that is malformed as a whole; answered InvalidArgument with the field at fault.</summary>
public sealed class InvalidInputException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;

    public string Reason { get; } = reason;
}

/// <summary>A request naming something that does not exist; answered NotFound.</summary>
public sealed class NotFoundException(string what) : Exception(what);

/// <summary>No valid staff token came with the call; answered Unauthenticated.</summary>
public sealed class UnauthenticatedException(string reason) : Exception(reason);

/// <summary>The caller is known but may not see or do this; answered PermissionDenied.</summary>
public sealed class AccessDeniedException(string reason) : Exception(reason);

/// <summary>Someone else changed the record between read and write; answered Aborted, the caller may retry.</summary>
public sealed class ConcurrentChangeException(string what) : Exception(what);

/// <summary>The request is fine but the thing's state does not allow it; answered FailedPrecondition.</summary>
public sealed class NotNowException(string reason) : Exception(reason);

/// <summary>The thing to create exists already; answered AlreadyExists.</summary>
public sealed class AlreadyExistsException(string what) : Exception(what);

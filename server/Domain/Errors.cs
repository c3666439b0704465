namespace ServiceHall.Server.Domain;

/// <summary>A request that is malformed as a whole; answered InvalidArgument with the field at fault.</summary>
public sealed class InvalidInputException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;

    public string Reason { get; } = reason;
}

/// <summary>
/// A request naming something that does not exist; answered NotFound. The kind and key of the missing thing, when
/// given, travel as structured data beside the message, so the message need not name them.
/// </summary>
public sealed class NotFoundException(string what, string? resourceType = null, string? resourceName = null) : Exception(what)
{
    /// <summary>What kind of thing was missing, e.g. "case"; null when the message says all.</summary>
    public string? ResourceType { get; } = resourceType;

    /// <summary>The key the request named, e.g. the case id.</summary>
    public string? ResourceName { get; } = resourceName;
}

/// <summary>No valid staff token came with the call; answered Unauthenticated.</summary>
public sealed class UnauthenticatedException(string reason) : Exception(reason);

/// <summary>The caller is known but may not see or do this; answered PermissionDenied.</summary>
public sealed class AccessDeniedException(string reason) : Exception(reason);

/// <summary>Someone else changed the record between read and write; answered Aborted, the caller may retry.</summary>
public sealed class ConcurrentChangeException(string what) : Exception(what);

/// <summary>
/// The request is fine but the thing's state does not allow it; answered FailedPrecondition. <see cref="Condition"/>,
/// when given, names the state for a client to act on (sent as a google.rpc.PreconditionFailure violation's type).
/// </summary>
public sealed class NotNowException(string reason, string? condition = null) : Exception(reason)
{
    public string? Condition { get; } = condition;
}

/// <summary>The thing to create exists already; answered AlreadyExists, with its kind and key when given.</summary>
public sealed class AlreadyExistsException(string what, string? resourceType = null, string? resourceName = null) : Exception(what)
{
    public string? ResourceType { get; } = resourceType;

    public string? ResourceName { get; } = resourceName;
}

namespace ServiceHall.Server.Domain;

/// <summary>A request that is malformed as a whole; answered InvalidArgument with the field at fault.</summary>
public sealed class InvalidInputException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;

    public string Reason { get; } = reason;
}

/// <summary>A request naming something that does not exist; answered NotFound.</summary>
public sealed class NotFoundException(string what) : Exception(what);

using Grpc.Core;

namespace ServiceHall.Kiosk.Components.Enquiries;

/// <summary>
/// Why a hand-in did not go through, as the screen says it: the server refused a field (its words, written for the citizen,
/// shown with the field), or the server could not be reached (nothing was stored; what was typed stays for a retry).
/// </summary>
public sealed record EnquiryFailure(string? Field, string? ServerMessage)
{
    public bool ServerAway => Field is null;

    public static EnquiryFailure Read(RpcException exception)
    {
        var error = RpcErrors.Read(exception);
        return error.Code == StatusCode.InvalidArgument && error.FirstFieldError is { } field
            ? new EnquiryFailure(field.Field, string.IsNullOrWhiteSpace(field.Reason) ? error.Message : field.Reason)
            : new EnquiryFailure(null, null);
    }
}

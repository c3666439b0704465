using System.Runtime.CompilerServices;
using Grpc.Core;
using ServiceHall.Kiosk.Rating;
using ServiceHall.Protos.V1;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// The kiosk's door to TransactionService (一次一评): maps invitations to <see cref="TransactionTarget"/>. Map, call,
/// map — no rules here. Calls go with the enrollment credential.
/// </summary>
public sealed class TransactionClient(TransactionService.TransactionServiceClient client, TimeProvider timeProvider)
{
    /// <summary>The window's invitations as they happen; ends (or throws) when the stream breaks.</summary>
    public async IAsyncEnumerable<TransactionTarget> WatchWindowAsync(
        string windowCode, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = client.WatchWindow(new WatchWindowRequest { WindowCode = windowCode }, cancellationToken: cancellationToken);
        await foreach (var invitation in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            yield return ToTarget(invitation);
        }
    }

    /// <summary>
    /// The transaction with this short code. Throws <see cref="RpcException"/>: NotFound for an unknown code,
    /// FailedPrecondition (with a citizen-readable message) if rated already or too late.
    /// </summary>
    public async Task<TransactionTarget> FindAsync(string shortCode, CancellationToken cancellationToken)
    {
        var invitation = await client.FindTransactionAsync(
            new FindTransactionRequest { ShortCode = shortCode }, deadline: Deadline(), cancellationToken: cancellationToken);
        return ToTarget(invitation);
    }

    /// <summary>Records the transaction 未评价. Throws <see cref="RpcException"/> (FailedPrecondition if it was rated).</summary>
    public async Task RecordNotRatedAsync(string transactionNumber, CancellationToken cancellationToken) =>
        await client.RecordNotRatedAsync(
            new RecordNotRatedRequest { TransactionNumber = transactionNumber }, deadline: Deadline(), cancellationToken: cancellationToken);

    /// <summary>
    /// The server's answer as a citizen may read it: its NotFound, FailedPrecondition and InvalidArgument messages are
    /// written for the citizen (the field or code concerned travels beside the message, not in it). Null for any other
    /// failure (the server is away, etc.), which the screen words itself.
    /// </summary>
    public static string? CitizenMessage(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = RpcErrors.Read(exception);
        return error.Code is StatusCode.NotFound or StatusCode.FailedPrecondition or StatusCode.InvalidArgument
            && !string.IsNullOrWhiteSpace(error.Message)
            ? error.Message
            : null;
    }

    /// <summary>The transaction was rated already (the server names this condition): its rating may still get a 追评.</summary>
    public static bool WasRated(RpcException exception) =>
        RpcErrors.Read(exception) is { Code: StatusCode.FailedPrecondition, Condition: RatedCondition };

    /// <summary>The condition the server names for a transaction rated already (transactions.proto, FindTransaction).</summary>
    public const string RatedCondition = "TRANSACTION_RATED";

    private DateTime Deadline() => timeProvider.GetUtcNow().UtcDateTime + ServiceHallClient.CallTimeout;

    internal static TransactionTarget ToTarget(RatingInvitation invitation) => new(
        invitation.TransactionNumber,
        invitation.ShortCode,
        invitation.WindowCode,
        invitation.WindowName,
        invitation.DepartmentName,
        invitation.ServiceItemCode,
        invitation.ServiceItemName,
        invitation.StaffId,
        invitation.StaffName,
        invitation.StaffTitle,
        invitation.RateBy?.ToDateTimeOffset());
}

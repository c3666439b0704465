using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Ratings;

/// <summary>
/// Takes a citizen's follow-up (追评) to a rating, found through the short code on the rated transaction's receipt
/// (docs/rules/ratings.md#follow-up-ratings). One per rating; a retry of the same follow-up is answered as stored before.
/// </summary>
public sealed class FollowUpDesk(
    ITransactionStore transactions, IRatingStore ratings, TimeProvider time, IOptions<RatingOptions> options, ILogger<FollowUpDesk> logger)
{
    public async Task<FollowUpStored> AddAsync(
        EnrolledKiosk device, string followUpId, string shortCode, string text, DateTimeOffset? writtenAt, CancellationToken cancellationToken)
    {
        if (device.Kind == DeviceKind.WindowSystem)
        {
            throw new AccessDeniedException(device.OutsideItsJob());
        }

        var code = shortCode.Trim().ToUpperInvariant();
        var transaction = code.Length is > 0 and <= 16 ? await transactions.FindTransactionByShortCodeAsync(code, cancellationToken) : null;
        if (transaction is null || transaction.HallCode != device.HallCode)
        {
            throw new NotFoundException("没有找到这个评价码，请核对回执上的评价码", "transaction", code.Length > 16 ? code[..16] : code);
        }

        if (device.Kind == DeviceKind.WindowPad && transaction.WindowCode != device.WindowCode)
        {
            throw new AccessDeniedException($"{device.OutsideItsJob()}，评价码 {code} 是窗口 {transaction.WindowCode} 的办件");
        }

        var ratingId = await ratings.FindRatingOfTransactionAsync(transaction.TransactionNumber, cancellationToken)
            ?? throw new NotNowException(FollowUp.NotRatedYet);
        var followUp = FollowUp.Check(
            followUpId, ratingId, text, writtenAt, device.DeviceId, options.Value.MaxTextLength,
            TimeSpan.FromMinutes(options.Value.ClockSkewMinutes), time.GetUtcNow());
        var stored = await ratings.AddFollowUpAsync(followUp, cancellationToken);
        if (stored == FollowUpStored.RatingHasFollowUp)
        {
            throw new NotNowException(FollowUp.HasFollowUp);
        }

        logger.LogInformation("Follow-up {FollowUpId} to rating {RatingId}: {Outcome}", followUp.Id, ratingId, stored);
        return stored;
    }
}

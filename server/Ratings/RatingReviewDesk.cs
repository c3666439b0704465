using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Ratings;

/// <summary>
/// The review queue of flagged ratings (docs/rules/ratings.md#anti-fraud): a moderator or supervisor keeps a flagged rating
/// (it goes on counting) or excludes it with a reason, which takes it out of every figure. One decision per rating, with
/// who, when and why: the record is the audit.
/// </summary>
public sealed class RatingReviewDesk(IRatingReviewStore store, TimeProvider time, ILogger<RatingReviewDesk> logger)
{
    public const int NoteMaxLength = 500;

    /// <summary>Undecided flagged ratings the reviewer may see: a hall-bound reviewer's hall, else every hall's.</summary>
    public Task<IReadOnlyList<FlaggedRating>> ListAsync(StaffAccount reviewer, int limit, CancellationToken cancellationToken) =>
        store.ListUndecidedAsync(reviewer.HallCode, Math.Clamp(limit, 1, 200), cancellationToken);

    public async Task DecideAsync(
        StaffAccount reviewer, Guid ratingId, bool exclude, ExclusionReason? reason, string note, CancellationToken cancellationToken)
    {
        note = note.Trim();
        if (note.Length > NoteMaxLength)
        {
            throw new InvalidInputException("note", $"最多 {NoteMaxLength} 字");
        }

        if (exclude && reason is null)
        {
            throw new InvalidInputException("reason", "排除评价须选择原因");
        }

        if (exclude && note.Length == 0)
        {
            throw new InvalidInputException("note", "排除评价须写明核实情况");
        }

        if (!exclude && reason is not null)
        {
            throw new InvalidInputException("reason", "保留的评价不填排除原因");
        }

        var flagged = await store.FindFlaggedAsync(ratingId, cancellationToken);
        if (flagged is null || (reviewer.HallCode is not null && flagged.HallCode != reviewer.HallCode))
        {
            throw new NotFoundException($"没有待审核的评价 {ratingId}", "rating", ratingId.ToString());
        }

        var review = new RatingReview(ratingId, exclude, reason, note, reviewer.Id.ToString(), reviewer.Role, time.GetUtcNow());
        if (!await store.DecideAsync(review, cancellationToken))
        {
            throw new NotNowException("这条评价已经审核过，以第一次的审核结论为准");
        }

        logger.LogInformation(
            "Flagged rating {RatingId} {Decision} by {Reviewer} ({Reason})", ratingId, exclude ? "excluded" : "kept", reviewer.UserName, reason);
    }
}

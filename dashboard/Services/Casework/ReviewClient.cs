using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>A flagged rating as the review queue shows it (never the rater's number).</summary>
public sealed record FlaggedRow(
    string RatingId, DateTimeOffset RatedAt, string HallCode, string WindowCode, string DepartmentCode, string StaffId, string Level,
    string Text, string DeviceId, bool HasTransaction, IReadOnlyList<FlagRow> Flags);

/// <summary>One pattern the detectors saw: its name and what was seen.</summary>
public sealed record FlagRow(string Label, string Detail, DateTimeOffset? FlaggedAt);

/// <summary>A reason a reviewer may give for an exclusion, as the server names it.</summary>
public sealed record ExclusionChoice(ExclusionReason Reason, string Label);

/// <summary>The queue and the choices the server offers.</summary>
public sealed record ReviewQueue(IReadOnlyList<FlaggedRow> Ratings, IReadOnlyList<ExclusionChoice> Reasons);

/// <summary>The console's calls to RatingReviewService (content moderators and supervisors).</summary>
public sealed class ReviewClient(RatingReviewService.RatingReviewServiceClient client, ConsoleSession session)
{
    public async Task<ReviewQueue> ListAsync(CancellationToken cancellationToken = default)
    {
        var response = await session.CallAsync(headers => client.ListFlaggedRatingsAsync(
            new ListFlaggedRatingsRequest(), headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));
        return new ReviewQueue(
            response.Ratings.Select(r => new FlaggedRow(
                r.RatingId, r.RatedAt.ToDateTimeOffset(), r.HallCode, r.WindowCode, r.DepartmentCode, r.StaffId,
                r.Level.ToSatisfactionLevel()?.Label() ?? "", r.Text, r.DeviceId, r.HasTransaction,
                r.Flags.Select(f => new FlagRow(f.Label, f.Detail, f.FlaggedAt?.ToDateTimeOffset())).ToList())).ToList(),
            response.Reasons.Select(x => new ExclusionChoice(x.Reason, x.Label)).ToList());
    }

    /// <summary>Keeps the rating (reason null) or excludes it with a reason; the note says what was checked.</summary>
    public async Task DecideAsync(string ratingId, ExclusionReason? excludeFor, string note, CancellationToken cancellationToken = default) =>
        await session.CallAsync(headers => client.DecideFlaggedRatingAsync(
            new DecideFlaggedRatingRequest
            {
                RatingId = ratingId, Exclude = excludeFor is not null, Reason = excludeFor ?? ExclusionReason.Unspecified, Note = note,
            },
            headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));
}

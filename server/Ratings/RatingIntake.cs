using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Metrics;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Ratings;

/// <summary>Limits on what a client may send. Section "Ratings".</summary>
public sealed class RatingOptions
{
    public const string Section = "Ratings";

    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 500;

    [Range(1, 5_000)]
    public int MaxTextLength { get; set; } = 500;

    [Range(0, 60)]
    public int ClockSkewMinutes { get; set; } = 5;

    /// <summary>A rating received more than this many hours after it was made is marked as a late arrival.</summary>
    [Range(1, 24 * 365)]
    public int LateArrivalHours { get; set; } = 24;
}

public enum IntakeOutcome
{
    Stored,
    AlreadyStored,
    Rejected,
}

public sealed record IntakeResult(string RatingId, IntakeOutcome Outcome, RatingRejection? Rejection = null);

/// <summary>
/// Takes a batch of submitted ratings: checks each on its own, stores the valid ones in one transaction (an id seen
/// before is not stored again), and wakes the live figures.
/// </summary>
public sealed class RatingIntake(
    IRatingStore store, ITransactionStore transactions, IKioskStore devices, CatalogSource catalog, ChangeFeed changes, CaseTimeLimits caseLimits,
    TimeProvider time, IOptions<RatingOptions> options, ServerMetrics metrics, ILogger<RatingIntake> logger)
{
    public async Task<IReadOnlyList<IntakeResult>> SubmitAsync(
        EnrolledKiosk kiosk, IReadOnlyList<RatingSubmission> submissions, CancellationToken cancellationToken)
    {
        CheckBatch(submissions);
        // A kiosk speaks for its own hall only. Refusing the whole call (rather than rejecting the ratings) keeps them
        // in the kiosk's outbox until an administrator sets the kiosk right.
        var otherHall = submissions.FirstOrDefault(s => s.HallCode != kiosk.HallCode && catalog.Current.FindHall(s.HallCode) is not null);
        if (otherHall is not null)
        {
            throw new AccessDeniedException($"设备 {kiosk.DeviceId} 只能提交大厅 {kiosk.HallCode} 的评价，不能提交 {otherHall.HallCode} 的");
        }

        // Likewise a device rates with its own kind's channel only, and a pad for its own window only
        // (docs/rules/ratings.md#device-kinds).
        if (submissions.Select(kiosk.MayNotRate).FirstOrDefault(why => why is not null) is { } outsideItsJob)
        {
            throw new AccessDeniedException(outsideItsJob);
        }

        submissions = submissions.Select(s => s with { DeviceId = kiosk.DeviceId }).ToList();
        var limits = new RatingLimits(
            options.Value.MaxTextLength, TimeSpan.FromMinutes(options.Value.ClockSkewMinutes), TimeSpan.FromHours(options.Value.LateArrivalHours));
        var now = time.GetUtcNow();
        var checkedOnes = new List<(Rating? Rating, RatingRejection? Rejection)>(submissions.Count);
        foreach (var submission in submissions)
        {
            var verdict = RatingRules.Check(submission, catalog.Current, limits, now, kiosk.FirstEnrolledAt);
            // A retry of a stored rating goes straight to the store, which answers "already stored"; only a new rating
            // is held to its transaction's rules.
            if (verdict.Rating is { TransactionNumber: { } number } rating && await store.FindRatingAsync(rating.Id, cancellationToken) is null)
            {
                var transaction = await transactions.FindTransactionAsync(number, cancellationToken);
                var refusal = transaction is null ? null : TransactionRules.Check(rating, transaction, limits.AllowedClockSkew);
                verdict = refusal is null ? verdict : (null, refusal);
            }

            checkedOnes.Add(verdict);
        }

        var valid = checkedOnes.Where(c => c.Rating is not null).Select(c => c.Rating!).ToList();
        // Every 差评 opens its case in the same transaction as the rating (docs/rules/bad-review-cases.md#opening); a
        // retried rating opens none.
        var opened = valid.Where(r => r.IsBad).Select(r => BadReviewCase.Open(Guid.CreateVersion7(), r, caseLimits)).ToList();
        var stored = valid.Count == 0 ? [] : await store.AddRatingsAsync(valid, opened, cancellationToken);

        var outcomeOf = valid.Zip(stored).ToDictionary(x => x.First.Id, x => x.Second);
        var results = submissions.Zip(checkedOnes, (s, c) => c.Rating is { } rating
            ? outcomeOf[rating.Id] switch
            {
                StoreOutcome.Stored => new IntakeResult(s.RatingId, IntakeOutcome.Stored),
                StoreOutcome.AlreadyStored => new IntakeResult(s.RatingId, IntakeOutcome.AlreadyStored),
                StoreOutcome.TransactionAlreadyRated => new IntakeResult(
                    s.RatingId, IntakeOutcome.Rejected, new RatingRejection("transaction_number", TransactionRules.AlreadyRated)),
                _ => throw new InvalidOperationException($"unknown store outcome {outcomeOf[rating.Id]}"),
            }
            : new IntakeResult(s.RatingId, IntakeOutcome.Rejected, c.Rejection)).ToList();

        var newlyStored = valid.Where(r => outcomeOf[r.Id] == StoreOutcome.Stored).ToList();
        if (newlyStored.Count > 0)
        {
            changes.RatingsStored(newlyStored.Select(r => r.HallCode).Distinct().ToList());
            foreach (var c in opened.Where(c => outcomeOf[c.RatingId] == StoreOutcome.Stored))
            {
                changes.CaseChanged(c, opened: true);
            }
        }

        var rejections = results.Where(r => r.Rejection is not null).Select(r => r.Rejection!).ToList();
        if (rejections.Count > 0)
        {
            // Counted per device and field for the fleet page, so IT staff see which box sends what the server refuses.
            await devices.RecordRejectionsAsync(kiosk.DeviceId, rejections, now, cancellationToken);
        }

        var rejected = rejections.Count;
        metrics.RatingsSubmitted(submissions.Count, newlyStored.Count, rejections.Select(r => r.Field));
        // Every call at Information would be thousands of lines a second under load; a refusal is worth a line.
        logger.Log(
            rejected > 0 ? LogLevel.Information : LogLevel.Debug,
            "Ratings batch: {Stored} stored, {AlreadyStored} already stored, {Rejected} rejected",
            newlyStored.Count, stored.Count(o => o == StoreOutcome.AlreadyStored), rejected);
        return results;
    }

    private void CheckBatch(IReadOnlyList<RatingSubmission> submissions)
    {
        if (submissions.Count == 0)
        {
            throw new InvalidInputException("ratings", "至少提交一条评价");
        }

        if (submissions.Count > options.Value.MaxBatchSize)
        {
            throw new InvalidInputException("ratings", $"一次最多提交 {options.Value.MaxBatchSize} 条评价");
        }

        // Two different ratings under one id would make the answer for that id ambiguous.
        var repeated = submissions.GroupBy(s => Guid.TryParse(s.RatingId, out var id) ? id.ToString() : s.RatingId).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new InvalidInputException("ratings", $"同一批次中 rating_id {repeated.Key} 出现了多次");
        }
    }
}

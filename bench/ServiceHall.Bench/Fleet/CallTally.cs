using Grpc.Core;
using ServiceHall.Protos.V1;

namespace ServiceHall.Bench.Fleet;

/// <summary>
/// Every answer of a caller's SubmitRatings calls, per rating and per failed call: nothing is dropped, so a run can show
/// that the ratings answered STORED are exactly the ratings sent in calls that succeeded. Not thread-safe: one per caller,
/// merged at the end.
/// </summary>
internal sealed class CallTally
{
    public long Calls { get; private set; }

    public long RatingsInAnsweredCalls { get; private set; }

    public long Stored { get; private set; }

    public long AlreadyStored { get; private set; }

    public long Rejected { get; private set; }

    /// <summary>Answers that did not account for each rating sent, in order.</summary>
    public long MismatchedAnswers { get; private set; }

    public Dictionary<StatusCode, long> FailedCalls { get; } = [];

    /// <summary>The first failure or rejection seen, for the report.</summary>
    public string? FirstProblem { get; private set; }

    public long FailedCallCount => FailedCalls.Values.Sum();

    /// <summary>Anything but a clean STORED for every rating of every call.</summary>
    public long Errors => FailedCallCount + AlreadyStored + Rejected + MismatchedAnswers;

    public bool StoredMatchesSent => Stored == RatingsInAnsweredCalls;

    /// <summary>Tallies one answer; returns how many of its ratings were stored now.</summary>
    public int Answered(SubmitRatingsRequest request, SubmitRatingsResponse response)
    {
        Calls++;
        RatingsInAnsweredCalls += request.Ratings.Count;
        if (response.Results.Count != request.Ratings.Count
            || response.Results.Where((r, i) => r.RatingId != request.Ratings[i].RatingId).Any())
        {
            MismatchedAnswers++;
            FirstProblem ??= $"an answer with {response.Results.Count} results for {request.Ratings.Count} ratings, or out of order";
        }

        var stored = 0;
        foreach (var result in response.Results)
        {
            switch (result.Outcome)
            {
                case RatingOutcome.Stored:
                    stored++;
                    break;
                case RatingOutcome.AlreadyStored:
                    AlreadyStored++;
                    FirstProblem ??= $"ALREADY_STORED for a new rating id {result.RatingId}";
                    break;
                case RatingOutcome.Rejected:
                case RatingOutcome.Unspecified:
                default:
                    Rejected++;
                    FirstProblem ??= $"{result.Outcome}: {result.Field} {result.Reason}";
                    break;
            }
        }

        Stored += stored;
        return stored;
    }

    public void Failed(RpcException failure)
    {
        Calls++;
        FailedCalls[failure.StatusCode] = FailedCalls.GetValueOrDefault(failure.StatusCode) + 1;
        FirstProblem ??= $"{failure.StatusCode}: {failure.Status.Detail}";
    }

    public static CallTally Merge(IEnumerable<CallTally> tallies)
    {
        var merged = new CallTally();
        foreach (var t in tallies)
        {
            merged.Calls += t.Calls;
            merged.RatingsInAnsweredCalls += t.RatingsInAnsweredCalls;
            merged.Stored += t.Stored;
            merged.AlreadyStored += t.AlreadyStored;
            merged.Rejected += t.Rejected;
            merged.MismatchedAnswers += t.MismatchedAnswers;
            merged.FirstProblem ??= t.FirstProblem;
            foreach (var (status, count) in t.FailedCalls)
            {
                merged.FailedCalls[status] = merged.FailedCalls.GetValueOrDefault(status) + count;
            }
        }

        return merged;
    }
}

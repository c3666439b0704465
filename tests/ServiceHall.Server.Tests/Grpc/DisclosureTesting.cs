using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Server.Disclosure;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>Intent helpers for tests that need a period published: the job drafts it and an officer approves it as it stands.</summary>
public static class DisclosureTesting
{
    public static async Task<IReadOnlyList<Publication>> DraftAndApproveClosedPeriodsAsync(this IServiceProvider services)
    {
        await services.GetRequiredService<DisclosurePublisher>().DraftClosedPeriodsAsync(CancellationToken.None);
        return await services.ApproveDraftsAsync();
    }

    public static async Task<IReadOnlyList<Publication>> ApproveDraftsAsync(this IServiceProvider services)
    {
        var review = services.GetRequiredService<DisclosureReview>();
        var published = new List<Publication>();
        foreach (var draft in await review.DraftsAsync(CancellationToken.None))
        {
            published.Add(await review.ApproveAsync(draft.PeriodKey, draft.Version, draft.Revision, "officer", CancellationToken.None));
        }

        return published;
    }
}

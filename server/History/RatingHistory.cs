using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.History;

/// <summary>
/// Makes past ratings for a demo district or a benchmark: spread over the working hours of the last weekdays, mostly
/// 非常满意 with a few 差评, each 差评 with its case already handled and closed (assigned, fixed at once, answered), as a
/// district's past months would look. Stored through the store like any rating, so tallies and cases are as real.
/// Not for a production store: it invents ratings.
/// </summary>
public sealed class RatingHistory(
    IRatingStore store, ICatalogStore catalogStore, CatalogSource catalog, CaseTimeLimits limits, DistrictClock clock, ILogger<RatingHistory> logger)
{
    private const int BatchSize = 5_000;

    /// <summary>
    /// What the invented 差评 say, in turn: some as a citizen would write them, with a phone number, an ID number or a
    /// name, so a demo's disclosure review has texts the de-identification changed or withheld.
    /// </summary>
    private static readonly string[] BadTexts =
    [
        "等了一个多小时才叫到号，我的电话13905310000，希望有人回复",
        "窗口说材料不全，又说不清楚缺什么，白跑了一趟",
        "我叫张伟，身份证370104199001011234，材料交了三次还没办好",
        "自助机坏了一上午没人管",
        "窗口那个戴眼镜的小伙子一直在看手机，叫了几遍才理人",
    ];

    /// <summary>Stores <paramref name="count"/> ratings made on the <paramref name="days"/> days before today; returns how many 差评.</summary>
    /// <exception cref="NotADemoStoreException">The store was not created as a demo store: nothing is stored.</exception>
    public async Task<int> GenerateAsync(int count, int days, double badPerMille, int seed, CancellationToken cancellationToken)
    {
        if (!await catalogStore.IsDemoStoreAsync(cancellationToken))
        {
            throw new NotADemoStoreException("history generate");
        }

        var district = catalog.Current;
        var random = new Random(seed);
        var today = clock.LocalDay(clock.UtcNow);
        var weekdays = Enumerable.Range(1, days).Select(d => today.AddDays(-d))
            .Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Reverse().ToList();
        if (weekdays.Count == 0)
        {
            throw new InvalidInputException("--days", "须包含至少一个工作日");
        }

        var windows = district.Halls.SelectMany(h => h.Windows.Select(w => (Hall: h, Window: w))).ToList();
        var badTags = district.ReasonTags.Tags.Where(t => t.Levels.Any(l => l.IsBad())).ToList();
        var bad = 0;
        var batch = new List<Rating>(BatchSize);
        var cases = new List<BadReviewCase>();
        for (var i = 0; i < count; i++)
        {
            // In order of time: the ids are time-ordered, as a kiosk's v7 ids are.
            var day = weekdays[(int)((long)i * weekdays.Count / count)];
            var ratedAt = clock.DayBounds(day).From.AddHours(9).AddSeconds(random.Next(8 * 3600));
            var (hall, window) = windows[random.Next(windows.Count)];
            var itemCode = window.ServiceItemCodes.Count == 0 ? null : window.ServiceItemCodes[random.Next(window.ServiceItemCodes.Count)];
            var level = Level(random, badPerMille);
            var tags = level.IsBad() ? [badTags[random.Next(badTags.Count)].Code] : Array.Empty<string>();
            var rating = new Rating(
                Guid.CreateVersion7(ratedAt), null, hall.Code, district.RegionCode, window.Code, itemCode,
                itemCode is null ? window.DepartmentCode : district.FindServiceItem(itemCode)!.DepartmentCode, null,
                RatingChannel.HallTerminal, level, tags, district.ReasonTags.Version, level.IsBad() ? BadTexts[bad % BadTexts.Length] : null,
                ratedAt, ratedAt.AddSeconds(1), null, "history");
            batch.Add(rating);
            if (rating.IsBad)
            {
                cases.Add(Handled(BadReviewCase.Open(Guid.CreateVersion7(ratedAt), rating, limits), rating));
                bad++;
            }

            if (batch.Count == BatchSize || i == count - 1)
            {
                await store.AddRatingsAsync(batch, cases, cancellationToken);
                batch.Clear();
                cases.Clear();
                if ((i + 1) % 500_000 < BatchSize)
                {
                    logger.LogInformation("History: {Stored} of {Count} ratings stored", i + 1, count);
                }
            }
        }

        return bad;
    }

    private static RatingLevel Level(Random random, double badPerMille)
    {
        var draw = random.NextDouble() * 1000;
        return draw < badPerMille / 2 ? RatingLevel.VeryDissatisfied
            : draw < badPerMille ? RatingLevel.Dissatisfied
            : draw < badPerMille + 15 ? RatingLevel.BasicallySatisfied
            : draw < badPerMille + 80 ? RatingLevel.Satisfied
            : RatingLevel.VerySatisfied;
    }

    /// <summary>An anonymous 差评 handled the same day: assigned, fixed at once, answered, closed.</summary>
    private static BadReviewCase Handled(BadReviewCase c, Rating rating)
    {
        var manager = new Actor("history-manager", CaseRole.HallManager);
        var handler = new Actor("history-handler", CaseRole.DepartmentHandler, c.DepartmentCode);
        var at = rating.ReceivedAt;
        c.Assign(manager, c.DepartmentCode, null, null, at.AddMinutes(10));
        c.SkipCallbackAnonymous(handler, at.AddMinutes(30));
        c.FixAtOnce(handler, "已当场核实并整改", null, at.AddMinutes(40));
        c.GiveFeedback(handler, "整改情况已在大厅公示", null, at.AddMinutes(50), "已当场核实并整改，向评价人说明了办理要求");
        return c;
    }
}

using Google.Protobuf.WellKnownTypes;
using ServiceHall.Protos.V1;

namespace ServiceHall.Bench.Fleet;

/// <summary>
/// Makes ratings as a kiosk sends them: valid for the demo catalog, a plausible mix of levels, a reason tag on some and
/// about 40 characters of text on fewer. Every 差评 carries a tag and a text (a 差评 must say why, GB/T 39734) and
/// opens a case on the server, so the mix decides how much case work the store does too.
/// </summary>
internal sealed class RatingFactory
{
    // Percent of each level, 非常满意 … 非常不满意: 8% 差评.
    private static readonly (RatingLevel Level, int Percent)[] LevelMix =
    [
        (RatingLevel.VerySatisfied, 62),
        (RatingLevel.Satisfied, 20),
        (RatingLevel.BasicallySatisfied, 10),
        (RatingLevel.Dissatisfied, 5),
        (RatingLevel.VeryDissatisfied, 3),
    ];

    private static readonly string[] GoodTexts =
    [
        "窗口工作人员业务熟练，讲解耐心细致，材料一次就审核通过了，办事效率很高，非常感谢！",
        "导办员主动引导取号填表，一次性告知了所需材料，不到二十分钟就办完了，体验很好。",
        "大厅环境整洁，自助设备好用，工作人员态度热情，帮老人代填了申请表，值得点赞。",
    ];

    private static readonly string[] BadTexts =
    [
        "排队等了一个多小时，叫号系统中途故障，工作人员也没有解释原因，希望尽快改进服务流程。",
        "上次来没有一次性告知需要的材料，这次又跑了一趟，还是缺一份证明，希望能提前说清楚。",
        "窗口人员对政策不熟悉，问了几个问题都答不上来，让我去别的窗口问，来回跑了好几次。",
    ];

    private readonly DemoCatalog _catalog;
    private readonly Dictionary<RatingLevel, string[]> _tagsByLevel;

    public RatingFactory(DemoCatalog catalog)
    {
        _catalog = catalog;
        _tagsByLevel = LevelMix.ToDictionary(
            m => m.Level, m => catalog.ReasonTags.Where(t => t.Levels.Contains((int)m.Level)).Select(t => t.Code).ToArray());
    }

    /// <summary>A batch for one kiosk; <paramref name="ratedAt"/> gives the time of the i-th rating in it.</summary>
    public SubmitRatingsRequest Batch(string deviceId, string hallCode, int size, Func<int, DateTimeOffset> ratedAt)
    {
        var request = new SubmitRatingsRequest();
        for (var i = 0; i < size; i++)
        {
            request.Ratings.Add(Create(deviceId, hallCode, ratedAt(i)));
        }

        return request;
    }

    /// <summary>A batch of ratings made just now.</summary>
    public SubmitRatingsRequest BatchNow(string deviceId, string hallCode, int size) =>
        Batch(deviceId, hallCode, size, _ => DateTimeOffset.UtcNow);

    public RatingSubmission Create(string deviceId, string hallCode, DateTimeOffset ratedAt)
    {
        var random = Random.Shared;
        var window = Pick(_catalog.Hall(hallCode).Windows, random);
        var level = PickLevel(random);
        var isBad = level is RatingLevel.Dissatisfied or RatingLevel.VeryDissatisfied;
        var submission = new RatingSubmission
        {
            // Time-ordered ids, as the kiosk makes them: the store's primary key then grows at its end.
            RatingId = TimeOrderedId(ratedAt, random).ToString(),
            HallCode = hallCode,
            WindowCode = window.Code,
            ServiceItemCode = Pick(window.ServiceItemCodes, random),
            StaffId = Pick(window.Staff, random).StaffId,
            Channel = RatingChannel.HallTerminal,
            Level = level,
            RatedAt = Timestamp.FromDateTimeOffset(ratedAt),
            DeviceId = deviceId,
        };
        if (isBad || random.Next(100) < 30)
        {
            submission.ReasonTagCodes.Add(Pick(_tagsByLevel[level], random));
            submission.ReasonTagListVersion = _catalog.ReasonTagListVersion;
        }

        if (isBad || random.Next(100) < 15)
        {
            submission.Text = Pick(isBad ? BadTexts : GoodTexts, random);
        }

        return submission;
    }

    /// <summary>
    /// A version 7 id (RFC 9562), the shape <see cref="Guid.CreateVersion7(DateTimeOffset)"/> makes, with its random bits
    /// from <paramref name="random"/>. Guid.CreateVersion7 reads the kernel's secure random source, one read() system call
    /// per id on Linux: at hundreds of thousands of ratings a second that was 40% of the bench's CPU in batches of 50, work
    /// a real fleet spreads over its kiosks. 74 random bits per millisecond keep ids unique; a clash would come back
    /// ALREADY_STORED and count as an error.
    /// </summary>
    public static Guid TimeOrderedId(DateTimeOffset ratedAt, Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        var unixMilliseconds = ratedAt.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(unixMilliseconds >> (40 - (8 * i)));
        }

        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static RatingLevel PickLevel(Random random)
    {
        var roll = random.Next(100);
        foreach (var (level, percent) in LevelMix)
        {
            if (roll < percent)
            {
                return level;
            }

            roll -= percent;
        }

        return LevelMix[^1].Level;
    }

    private static T Pick<T>(IReadOnlyList<T> items, Random random) => items[random.Next(items.Count)];
}

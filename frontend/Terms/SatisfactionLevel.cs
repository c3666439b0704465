using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Frontend;

/// <summary>
/// The five levels a citizen chooses from, numbered as GB/T 39046 and the contract's RatingLevel number them
/// (1 = 非常满意 … 5 = 非常不满意). The last two are 差评. See docs/rules/ratings.md#levels.
/// </summary>
/// <remarks>
/// The numbers are stored: the kiosk's outbox keeps queued ratings with them, and the kiosk's buttons are
/// <c>level-1</c> … <c>level-5</c>. Never renumber.
/// </remarks>
public enum SatisfactionLevel
{
    VerySatisfied = 1,
    Satisfied = 2,
    BasicallySatisfied = 3,
    Dissatisfied = 4,
    VeryDissatisfied = 5,
}

public static class SatisfactionLevels
{
    /// <summary>All five levels in display order, best first (also the order of <c>LiveFigures.level_counts</c>).</summary>
    public static IReadOnlyList<SatisfactionLevel> All { get; } =
    [
        SatisfactionLevel.VerySatisfied,
        SatisfactionLevel.Satisfied,
        SatisfactionLevel.BasicallySatisfied,
        SatisfactionLevel.Dissatisfied,
        SatisfactionLevel.VeryDissatisfied,
    ];

    /// <summary>The Chinese label exactly as the national rules word it (docs/rules/ratings.md#levels).</summary>
    public static string Label(this SatisfactionLevel level) => level switch
    {
        SatisfactionLevel.VerySatisfied => "非常满意",
        SatisfactionLevel.Satisfied => "满意",
        SatisfactionLevel.BasicallySatisfied => "基本满意",
        SatisfactionLevel.Dissatisfied => "不满意",
        SatisfactionLevel.VeryDissatisfied => "非常不满意",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a rating level"),
    };

    /// <summary>不满意 and 非常不满意 are 差评 and need a reason tag or a text; the other three are 好评.</summary>
    public static bool IsBadReview(this SatisfactionLevel level) => level switch
    {
        SatisfactionLevel.VerySatisfied or SatisfactionLevel.Satisfied or SatisfactionLevel.BasicallySatisfied => false,
        SatisfactionLevel.Dissatisfied or SatisfactionLevel.VeryDissatisfied => true,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a rating level"),
    };

    public static bool IsDefined(this SatisfactionLevel level) => Enum.IsDefined(level);

    public static Proto.RatingLevel ToProto(this SatisfactionLevel level) => level switch
    {
        SatisfactionLevel.VerySatisfied => Proto.RatingLevel.VerySatisfied,
        SatisfactionLevel.Satisfied => Proto.RatingLevel.Satisfied,
        SatisfactionLevel.BasicallySatisfied => Proto.RatingLevel.BasicallySatisfied,
        SatisfactionLevel.Dissatisfied => Proto.RatingLevel.Dissatisfied,
        SatisfactionLevel.VeryDissatisfied => Proto.RatingLevel.VeryDissatisfied,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a rating level"),
    };

    /// <summary>The level, or null for UNSPECIFIED or a value this client does not know.</summary>
    public static SatisfactionLevel? ToSatisfactionLevel(this Proto.RatingLevel level) => level switch
    {
        Proto.RatingLevel.VerySatisfied => SatisfactionLevel.VerySatisfied,
        Proto.RatingLevel.Satisfied => SatisfactionLevel.Satisfied,
        Proto.RatingLevel.BasicallySatisfied => SatisfactionLevel.BasicallySatisfied,
        Proto.RatingLevel.Dissatisfied => SatisfactionLevel.Dissatisfied,
        Proto.RatingLevel.VeryDissatisfied => SatisfactionLevel.VeryDissatisfied,
        _ => null,
    };
}

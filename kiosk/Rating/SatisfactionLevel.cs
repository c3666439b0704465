namespace ServiceHall.Kiosk.Rating;

/// <summary>
/// The five levels of 国办发〔2019〕51号, numbered as GB/T 39046 A.8 and the proto's RatingLevel
/// (1 = 非常满意 … 5 = 非常不满意). The last two are 差评.
/// </summary>
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
    /// <summary>All five levels in display order, best first.</summary>
    public static IReadOnlyList<SatisfactionLevel> All { get; } =
    [
        SatisfactionLevel.VerySatisfied,
        SatisfactionLevel.Satisfied,
        SatisfactionLevel.BasicallySatisfied,
        SatisfactionLevel.Dissatisfied,
        SatisfactionLevel.VeryDissatisfied,
    ];

    /// <summary>The label exactly as 国办发〔2019〕51号 words it.</summary>
    public static string Label(this SatisfactionLevel level) => level switch
    {
        SatisfactionLevel.VerySatisfied => "非常满意",
        SatisfactionLevel.Satisfied => "满意",
        SatisfactionLevel.BasicallySatisfied => "基本满意",
        SatisfactionLevel.Dissatisfied => "不满意",
        SatisfactionLevel.VeryDissatisfied => "非常不满意",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a rating level"),
    };

    /// <summary>不满意 and 非常不满意 are 差评: they need a reason tag or a text (GB/T 39734).</summary>
    public static bool IsBadReview(this SatisfactionLevel level) => level switch
    {
        SatisfactionLevel.VerySatisfied or SatisfactionLevel.Satisfied or SatisfactionLevel.BasicallySatisfied => false,
        SatisfactionLevel.Dissatisfied or SatisfactionLevel.VeryDissatisfied => true,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a rating level"),
    };

    public static bool IsDefined(this SatisfactionLevel level) => Enum.IsDefined(level);
}

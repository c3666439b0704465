namespace ServiceHall.Server.Domain;

/// <summary>The five levels of 国办发〔2019〕51号. Numbered internally in GB/T 39046 A.8 order.</summary>
public enum RatingLevel
{
    VerySatisfied = 1,
    Satisfied = 2,
    BasicallySatisfied = 3,
    Dissatisfied = 4,
    VeryDissatisfied = 5,
}

public static class RatingLevels
{
    public static readonly IReadOnlyList<RatingLevel> All =
    [
        RatingLevel.VerySatisfied, RatingLevel.Satisfied, RatingLevel.BasicallySatisfied,
        RatingLevel.Dissatisfied, RatingLevel.VeryDissatisfied,
    ];

    /// <summary>不满意 and 非常不满意 are 差评; the other three count as 好评 (51号, 鲁政办发〔2020〕10号).</summary>
    public static bool IsBad(this RatingLevel level) => level switch
    {
        RatingLevel.VerySatisfied or RatingLevel.Satisfied or RatingLevel.BasicallySatisfied => false,
        RatingLevel.Dissatisfied or RatingLevel.VeryDissatisfied => true,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>The label exactly as the national rules word it.</summary>
    public static string Label(this RatingLevel level) => level switch
    {
        RatingLevel.VerySatisfied => "非常满意",
        RatingLevel.Satisfied => "满意",
        RatingLevel.BasicallySatisfied => "基本满意",
        RatingLevel.Dissatisfied => "不满意",
        RatingLevel.VeryDissatisfied => "非常不满意",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    public static bool IsDefined(int value) => Enum.IsDefined(typeof(RatingLevel), value);

    /// <summary>GB/T 39046-2020 A.8 codes: 1 = 非常满意 … 5 = 非常不满意.</summary>
    public static int ToGbt39046Code(this RatingLevel level) => (int)level;

    public static RatingLevel FromGbt39046Code(int code) =>
        IsDefined(code) ? (RatingLevel)code : throw new ArgumentOutOfRangeException(nameof(code), code, "GB/T 39046 codes run 1–5");

    /// <summary>Provincial upload interfaces code the other way round: 1 = 非常不满意 … 5 = 非常满意.</summary>
    public static int ToProvincialCode(this RatingLevel level) => 6 - (int)level;

    public static RatingLevel FromProvincialCode(int code) =>
        code is >= 1 and <= 5 ? (RatingLevel)(6 - code) : throw new ArgumentOutOfRangeException(nameof(code), code, "provincial codes run 1–5");
}

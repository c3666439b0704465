namespace ServiceHall.Dashboard.Charts;

/// <summary>
/// Blues for the three 好评 levels, amber and red for the two 差评 levels. Every bar also carries its label and count, so
/// colour is never the only signal (docs/rules/accessibility.md#for-everyone); each colour has ≥ 3:1 contrast on white.
/// </summary>
internal static class LevelColors
{
    public static string Of(SatisfactionLevel level) => level switch
    {
        SatisfactionLevel.VerySatisfied => "#154c8a",
        SatisfactionLevel.Satisfied => "#2767b0",
        SatisfactionLevel.BasicallySatisfied => "#4a82c4",
        SatisfactionLevel.Dissatisfied => "#b25e00",
        SatisfactionLevel.VeryDissatisfied => "#b3261e",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>The colour of a level by its GB/T 39046 code as publications carry it ("1" = 非常满意 … "5" = 非常不满意).</summary>
    public static string? OfGbt39046Code(string code) => code switch
    {
        "1" => Of(SatisfactionLevel.VerySatisfied),
        "2" => Of(SatisfactionLevel.Satisfied),
        "3" => Of(SatisfactionLevel.BasicallySatisfied),
        "4" => Of(SatisfactionLevel.Dissatisfied),
        "5" => Of(SatisfactionLevel.VeryDissatisfied),
        _ => null,
    };
}

namespace ServiceHall.Server.Domain;

/// <summary>
/// The first words of a citizen's text as the case queue shows them (docs/rules/privacy.md#in-the-console): de-identified
/// with the same scrubber as a publication (phone and ID numbers, accounts, plates, personal names), so the queue
/// — read on a shared screen, and by the department that was rated — never shows who rated. A text that still looks
/// identifying after scrubbing is not excerpted at all.
/// </summary>
public static class CaseExcerpt
{
    /// <summary>How many characters (text elements) of the scrubbed text a queue row shows.</summary>
    public const int Length = 40;

    /// <summary>Shown instead of a text the scrubber could not make safe with confidence.</summary>
    public const string Withheld = "（内容可能含个人信息，请打开案件查看）";

    /// <summary>
    /// The whole text de-identified, for the department that was rated; <see cref="Withheld"/> when it still looks
    /// identifying. Staff names are not scrubbed: staff see who served; it is the rater who is never shown.
    /// </summary>
    public static string Deidentify(string text)
    {
        var review = PublicText.Review(PublicText.StripControls(text), []);
        return review.Withheld ? Withheld : review.Text;
    }

    /// <summary>The excerpt of <paramref name="text"/>; empty for no text.</summary>
    public static string Of(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var scrubbed = Deidentify(text);
        if (scrubbed == Withheld)
        {
            return Withheld;
        }

        var oneLine = string.Join(' ', scrubbed.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var info = new System.Globalization.StringInfo(oneLine);
        return info.LengthInTextElements <= Length ? oneLine : info.SubstringByTextElements(0, Length) + "…";
    }
}

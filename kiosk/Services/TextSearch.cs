using System.Text;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// How the guide screens match what a citizen types against a thing's texts, whatever the thing (a service item, a
/// published document): every word must be found in some text, as written, as a colloquial synonym, or — for a word of
/// Latin letters — as the pinyin initials of the Chinese text ("sb" finds 社保, "qyzc" 企业注册).
/// </summary>
public static class TextSearch
{
    // What people say at the counter, next to the words the catalog uses.
    private static readonly Dictionary<string, string[]> Colloquial = new()
    {
        ["社保"] = ["社会保险", "社会保障", "养老保险", "失业保险", "工伤保险"],
        ["医保"] = ["医疗保险", "医疗保障", "医保"],
        ["社保卡"] = ["社会保障卡"],
        ["身份证"] = ["居民身份证"],
        ["低保"] = ["最低生活保障"],
        ["执照"] = ["营业执照", "设立登记"],
        ["开公司"] = ["公司设立", "设立登记"],
        ["上学"] = ["入学", "招生"],
        ["补贴"] = ["补助", "奖补", "返还"],
    };

    /// <summary>The words of a query (split on ASCII and ideographic spaces).</summary>
    public static string[] Words(string? query) =>
        (query ?? "").Split([' ', '\u3000'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when every word of <paramref name="words"/> is found in one of <paramref name="texts"/>.</summary>
    public static bool Matches(IReadOnlyCollection<string> words, IEnumerable<string?> texts)
    {
        if (words.Count == 0)
        {
            return true;
        }

        var haystack = texts.Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
        return words.All(word =>
            Synonyms(word).Any(term => haystack.Any(text => text.Contains(term, StringComparison.OrdinalIgnoreCase)))
            || (IsInitials(word) && haystack.Any(text => PinyinInitials.Of(text).Contains(word, StringComparison.OrdinalIgnoreCase))));
    }

    private static bool IsInitials(string word) => word.Length >= 2 && word.All(char.IsAsciiLetter);

    private static IEnumerable<string> Synonyms(string word)
    {
        yield return word;
        if (Colloquial.TryGetValue(word, out var terms))
        {
            foreach (var term in terms)
            {
                yield return term;
            }
        }
    }
}

/// <summary>
/// The pinyin initial of each Chinese character, from its GB2312 code: the 3,755 first-level characters of GB 2312-80 are
/// ordered by pinyin, so the initial follows from which letter's range the code falls in. A character outside that level
/// (rare characters) and anything not Chinese keeps itself; a character with several readings gets the one it is filed
/// under (e.g. 行 as "h").
/// </summary>
public static class PinyinInitials
{
    private static readonly Encoding Gb2312;

    // First GB2312 code of each initial A…Z (no I, U, V), level one.
    private static readonly (int Code, char Letter)[] Starts =
    [
        (0xB0A1, 'a'), (0xB0C5, 'b'), (0xB2C1, 'c'), (0xB4EE, 'd'), (0xB6EA, 'e'), (0xB7A2, 'f'), (0xB8C1, 'g'),
        (0xB9FE, 'h'), (0xBBF7, 'j'), (0xBFA6, 'k'), (0xC0AC, 'l'), (0xC2E8, 'm'), (0xC4C3, 'n'), (0xC5B6, 'o'),
        (0xC5BE, 'p'), (0xC6DA, 'q'), (0xC8BB, 'r'), (0xC8F6, 's'), (0xCBFA, 't'), (0xCDDA, 'w'), (0xCEF4, 'x'),
        (0xD1B9, 'y'), (0xD4D1, 'z'),
    ];

    private const int LevelOneEnd = 0xD7F9;

    static PinyinInitials()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Gb2312 = Encoding.GetEncoding(936);
    }

    /// <summary>"社会保险" → "shbx"; other characters kept as they are, letters in lower case.</summary>
    public static string Of(string text)
    {
        var builder = new StringBuilder(text.Length);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var ch in text)
        {
            if (ch < 0x80)
            {
                builder.Append(char.ToLowerInvariant(ch));
                continue;
            }

            var count = Gb2312.GetBytes([ch], bytes);
            var code = count == 2 ? (bytes[0] << 8) | bytes[1] : 0;
            builder.Append(code is >= 0xB0A1 and <= LevelOneEnd ? Letter(code) : ch);
        }

        return builder.ToString();
    }

    private static char Letter(int code)
    {
        var letter = Starts[0].Letter;
        foreach (var (start, l) in Starts)
        {
            if (code < start)
            {
                break;
            }

            letter = l;
        }

        return letter;
    }
}

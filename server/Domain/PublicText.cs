using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ServiceHall.Server.Domain;

/// <summary>
/// De-identifies a citizen's free text before it is published
/// (docs/rules/indicators-and-disclosure.md#de-identification): no phone number, ID number, account, licence plate,
/// personal name or staff identity reaches a public page or export. The text is normalised first, so a number written
/// in full-width digits, Chinese numerals or with a space between every digit is still a number. Scrubbing errs on the
/// side of hiding; what still looks identifying afterwards is withheld, never published on a guess.
/// </summary>
public static partial class PublicText
{
    public const string PhoneMark = "[电话已隐去]";
    public const string IdMark = "[证件号已隐去]";
    public const string NumberMark = "[号码已隐去]";
    public const string EmailMark = "[邮箱已隐去]";
    public const string AccountMark = "[账号已隐去]";
    public const string PlateMark = "[车牌已隐去]";
    public const string NameMark = "某某";
    public const string StaffMark = "[工作人员]";

    /// <summary>Shown instead of a text the scrubber could not make safe with confidence.</summary>
    public const string WithheldText = "（未公开）";

    /// <param name="text">What the citizen wrote.</param>
    /// <param name="staffIdentities">Staff names and 工号 from the catalog: staff are never named in public.</param>
    public static string Scrub(string text, IEnumerable<string> staffIdentities) => Review(text, staffIdentities).Text;

    /// <summary>Scrubs a text and says whether the result is safe to publish.</summary>
    public static ScrubbedText Review(string text, IEnumerable<string> staffIdentities)
    {
        var scrubbed = Normalise(text);
        foreach (var identity in staffIdentities.Select(Normalise).Where(i => i.Length >= 2).Distinct().OrderByDescending(i => i.Length))
        {
            // A name written with a space or dot between its characters is the same name.
            var spaced = string.Join(Separator + "*", identity.EnumerateRunes().Select(r => Regex.Escape(r.ToString())));
            scrubbed = Regex.Replace(scrubbed, spaced, StaffMark, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }

        scrubbed = Email().Replace(scrubbed, EmailMark);
        scrubbed = Account().Replace(scrubbed, m => m.Groups["label"].Value + AccountMark);
        scrubbed = Plate().Replace(scrubbed, PlateMark);
        scrubbed = DigitRun().Replace(scrubbed, NumberFor);
        scrubbed = SelfIntroduction().Replace(scrubbed, m => m.Groups["intro"].Value + NameMark);
        scrubbed = SurnameIntroduction().Replace(scrubbed, m => m.Groups["intro"].Value + NameMark);
        scrubbed = Relative().Replace(scrubbed, m => m.Groups["kin"].Value + NameMark);
        scrubbed = CalledBy().Replace(scrubbed, m => m.Groups["pre"].Value + NameMark + m.Groups["post"].Value);
        scrubbed = NameWithTitle().Replace(scrubbed, m => NameMark + m.Groups["title"].Value);
        scrubbed = NameWithShortTitle().Replace(scrubbed, m => NameMark + m.Groups["title"].Value);
        return new ScrubbedText(scrubbed, scrubbed != text, LooksIdentifying(scrubbed));
    }

    /// <summary>
    /// Takes out what a reader cannot see but a program acts on: C0 and C1 control characters (a line break stays),
    /// zero-width characters, bidi overrides and other format characters, variation selectors.
    /// </summary>
    public static string StripControls(string text)
    {
        var clean = new StringBuilder(text.Length);
        foreach (var rune in text.ReplaceLineEndings("\n").EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var invisible = (category == UnicodeCategory.Control && rune.Value != '\n')
                || category == UnicodeCategory.Format
                || rune.Value is >= 0xFE00 and <= 0xFE0F or 0x034F or 0x115F or 0x1160 or 0x3164 or 0xFFA0;
            if (!invisible)
            {
                clean.Append(rune);
            }
            else if (rune.Value == '\t')
            {
                clean.Append(' ');
            }
        }

        return clean.ToString();
    }

    /// <summary>
    /// The text as matching sees it: no invisible characters, NFKC (full-width letters and digits become ASCII,
    /// circled digits plain), and a run of five or more Chinese numerals (一三八…, 幺, 壹贰叁) written as digits.
    /// </summary>
    public static string Normalise(string text)
    {
        var normal = new StringBuilder(text.Length);
        foreach (var rune in StripControls(text).EnumerateRunes())
        {
            // Chinese full-width punctuation stays as written: it is what the reader expects, and no number hides in it.
            normal.Append(KeptPunctuation.Contains((char)rune.Value, StringComparison.Ordinal) && rune.IsBmp
                ? rune.ToString()
                : rune.ToString().Normalize(NormalizationForm.FormKC));
        }


        return NumeralRun().Replace(normal.ToString(), m => m.Value.Any(c => ChineseDigits.Contains(c, StringComparison.Ordinal))
            ? string.Concat(m.Value.Select(c => ChineseDigits.IndexOf(c, StringComparison.Ordinal) is var i and >= 0 ? (char)('0' + (i % 10)) : c))
            : m.Value);
    }

    private const string SingleSurname = "[" + Surnames.Single + "]";
    private const string CompoundSurnames = Surnames.Compound;
    private const string StrongSurname = "[" + Surnames.Strong + "]";
    private const string GivenName = "[" + Surnames.GivenNameCharacters + "]";

    private const string KeptPunctuation = "，！？：；（）";

    // Each written digit at its value modulo 10: 〇一…九, 零壹…玖, then 幺 (one, as said in phone numbers).
    private const string ChineseDigits = "〇一二三四五六七八九零壹贰叁肆伍陆柒捌玖幺";

    // What people put between the digits of a number they write out: spaces, dots, dashes, slashes, brackets.
    private const string Separator = @"[\s.\-_/\\·•,、—–~()（）*#|]";

    private static string NumberFor(Match m)
    {
        var digits = new string(m.Value.Where(char.IsAsciiDigit).ToArray());
        var x = char.ToUpperInvariant(m.Value[^1]) == 'X';
        if (x && digits.Length != 17)
        {
            // Not an ID number's check character: the X belongs to the text.
            return digits.Length >= 7 ? NumberFor(digits) + m.Value[^1] : m.Value;
        }

        return x ? IdMark : digits.Length < 7 || IsDate(m.Value) ? m.Value : NumberFor(digits);
    }

    private static string NumberFor(string digits) => digits switch
    {
        // Checksum or not: a mistyped ID number (GB 11643) still points at a person.
        { Length: 15 or 18 } => IdMark,
        _ when Mobile().IsMatch(digits) => PhoneMark,
        { Length: >= 10 and <= 12 } when digits[0] == '0' => PhoneMark,
        { Length: 7 or 8 } => PhoneMark,
        _ => NumberMark,
    };

    // 2026-09-01 or 2026.9.1 is a date, not a phone number.
    private static bool IsDate(string run) => DateLike().IsMatch(run.Trim());

    /// <summary>
    /// What a scrubbed text may still give away: a run of six or more digits, an address or account left over, or a
    /// full name with no title beside it (a common surname followed by a given-name character).
    /// </summary>
    private static bool LooksIdentifying(string scrubbed) =>
        DigitRun().Matches(scrubbed).Any(m => m.Value.Count(char.IsAsciiDigit) >= 6 && !IsDate(m.Value))
        || LeftoverAccount().IsMatch(scrubbed)
        || LeftoverName().IsMatch(scrubbed);

    [GeneratedRegex(@"[〇一二三四五六七八九零壹贰叁肆伍陆柒捌玖幺\d](?:[\s.\-_/·,、]{0,3}[〇一二三四五六七八九零壹贰叁肆伍陆柒捌玖幺\d]){4,}")]
    private static partial Regex NumeralRun();

    // Digits with up to three separator characters between them, an optional leading + and trailing X.
    [GeneratedRegex(@"\+?\d(?:[\s.\-_/\\·•,、—–~()（）*#|]{0,3}\d)*(?:[\s.\-]{0,3}[Xx](?![A-Za-z]))?")]
    private static partial Regex DigitRun();

    [GeneratedRegex(@"^(?:\+?(?:0086|86))?1[3-9]\d{9}$")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"^(?:19|20)\d{2}\s?[-./]\s?\d{1,2}\s?[-./]\s?\d{1,2}$")]
    private static partial Regex DateLike();

    // Also written "name at qq dot com", "name(at)163.com", "name#qq.com".
    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+\s*(?:@|\(at\)|\[at\]|\sat\s|#|艾特)\s*[A-Za-z0-9\-]+(?:\s*(?:\.|dot|点)\s*[A-Za-z0-9\-]+)+", RegexOptions.IgnoreCase)]
    private static partial Regex Email();

    // QQ and WeChat ids after their label: QQ号123456, 扣扣：abcde, 微信 zhang_san88, 加V abc123, vx:13800000000.
    [GeneratedRegex(@"(?<label>(?:QQ|qq|Qq|扣扣|企鹅|微信|薇信|威信|V信|v信|VX|vx|Vx|WX|wx|Wx|weixin|wechat|WeChat|加[Vv]|\+[Vv])(?:号码|号)?(?:是|为)?[\s:：]*)[A-Za-z0-9][A-Za-z0-9_\-.]{3,}", RegexOptions.IgnoreCase)]
    private static partial Regex Account();

    // Mainland licence plates: province, letter, five characters (six for new energy), also with a dot or space.
    [GeneratedRegex(@"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]\s?[A-HJ-NP-Za-hj-np-z]\s?[·.\-]?\s?[A-HJ-NP-Za-hj-np-z0-9]{5,6}(?![A-Za-z0-9])")]
    private static partial Regex Plate();

    // "我叫李建国" / "联系人：王芳" / "姓名是赵敏": the name after a self-introduction.
    [GeneratedRegex(@"(?<intro>(?:我叫|名叫|我的名字叫|我的名字是|联系人|申请人|代理人|经办人|办事人|当事人|落款|署名)(?:是|为|叫)?[\s:：]*|(?:姓名|名字|签名)(?:是|为|叫|[\s]*[:：])[\s:：]*)[\u4e00-\u9fff]{2,3}")]
    private static partial Regex SelfIntroduction();

    // "我是王某某" / "本人张三" / "我姓欧阳": only when a surname follows (我是来办证的 is not a name).
    [GeneratedRegex(@"(?<intro>(?:我是|本人|鄙人|我姓|本人姓)(?:是)?[\s:：]*)(?:" + CompoundSurnames + "|" + SingleSurname + @")[\u4e00-\u9fff]{0,2}")]
    private static partial Regex SurnameIntroduction();

    // "我妈刘某某", "家属王建国": a relative named after the kinship word.
    [GeneratedRegex(@"(?<kin>我(?:妈|爸|母亲|父亲|爱人|老公|老婆|丈夫|妻子|媳妇|儿子|女儿|哥|姐|弟|妹|爷爷|奶奶|外婆|外公|姥姥|姥爷|婆婆|公公|岳父|岳母|朋友|同事|邻居)|家属|亲属)(?:叫|是|名叫)?[\s:：]*(?:" + CompoundSurnames + "|" + SingleSurname + @")[\u4e00-\u9fff]{1,2}")]
    private static partial Regex Relative();

    // "一个叫张伟的人", "姓王的工作人员".
    [GeneratedRegex(@"(?<pre>(?:叫|名叫)\s*)(?:" + CompoundSurnames + "|" + SingleSurname + @")[\u4e00-\u9fff]{0,2}?(?<post>的)|(?<pre>姓\s*)(?:" + CompoundSurnames + "|" + SingleSurname + @")(?<post>的)")]
    private static partial Regex CalledBy();

    // A surname, up to two more characters, then a form of address: 王先生, 张科长, 欧阳建国主任, 刘某某师傅.
    [GeneratedRegex(@"(?:" + CompoundSurnames + "|" + SingleSurname + @")[\u4e00-\u9fff]{0,2}?(?<title>副?(?:先生|女士|小姐|师傅|师父|主任|科长|局长|处长|经理|老师|大姐|大哥|阿姨|同志|警官|队长|书记|院长|所长|部长|组长|站长|股长|专员|医生|大夫|律师|会计|老板|大爷|大妈|奶奶|爷爷|姐姐|哥哥|叔叔|婶婶|总监|主管|领导|干部|姑娘|小伙|同学))")]
    private static partial Regex NameWithTitle();

    // A surname with a one-character form of address right after it: 李姐, 王哥, 张叔, 陈总.
    [GeneratedRegex(@"(?:" + CompoundSurnames + "|" + SingleSurname + @")(?<title>姐|哥|叔|姨|婶|伯|嫂|总(?![额共是计体数结之归算部局要]))")]
    private static partial Regex NameWithShortTitle();

    // A strong surname (not also an everyday word) and a given-name character: 张伟, 王芳 left without a title.
    [GeneratedRegex(@"(?:" + CompoundSurnames + "|" + StrongSurname + ")" + GivenName)]
    private static partial Regex LeftoverName();

    // An address, id or account the patterns above did not take: user@, letters with three or more digits.
    [GeneratedRegex(@"[A-Za-z0-9]\s*@|@\s*[A-Za-z0-9]|(?<![A-Za-z0-9_\-])(?=[A-Za-z0-9_\-]*[A-Za-z])(?=[A-Za-z0-9_\-]*\d{3})[A-Za-z0-9_\-]{6,}")]
    private static partial Regex LeftoverAccount();
}

/// <summary>A scrubbed text, whether scrubbing changed it, and whether it still looks identifying (then withheld).</summary>
public sealed record ScrubbedText(string Text, bool Changed, bool Withheld);

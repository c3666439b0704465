using System.Text.RegularExpressions;

namespace ServiceHall.Server.Domain;

/// <summary>
/// De-identifies a citizen's free text before it is published
/// (docs/rules/indicators-and-disclosure.md#de-identification): no phone number, ID number, personal name or staff
/// identity reaches a public page or export. Scrubbing errs on the side of hiding: a public reader loses a word, a
/// rater never loses their privacy.
/// </summary>
public static partial class PublicText
{
    public const string PhoneMark = "[电话已隐去]";
    public const string IdMark = "[证件号已隐去]";
    public const string NameMark = "某某";
    public const string StaffMark = "[工作人员]";

    /// <param name="text">What the citizen wrote.</param>
    /// <param name="staffIdentities">Staff names and 工号 from the catalog: staff are never named in public.</param>
    /// <remarks>The rater leaves no name, only a phone number, which the number patterns take out.</remarks>
    public static string Scrub(string text, IEnumerable<string> staffIdentities)
    {
        var scrubbed = text;
        foreach (var identity in staffIdentities.Where(i => i.Length >= 2).OrderByDescending(i => i.Length))
        {
            scrubbed = scrubbed.Replace(identity, StaffMark, StringComparison.OrdinalIgnoreCase);
        }

        // ID numbers first: an 18-digit ID number contains runs that look like phone numbers.
        scrubbed = IdNumber().Replace(scrubbed, IdMark);
        scrubbed = MobileNumber().Replace(scrubbed, PhoneMark);
        scrubbed = Landline().Replace(scrubbed, PhoneMark);
        scrubbed = LongDigitRun().Replace(scrubbed, PhoneMark);
        scrubbed = NameWithTitle().Replace(scrubbed, m => NameMark + m.Groups["title"].Value);
        scrubbed = SelfIntroduction().Replace(scrubbed, m => m.Groups["intro"].Value + NameMark);
        return scrubbed;
    }

    // 18-digit resident ID (last may be X) or the old 15-digit form, not inside a longer run of digits.
    [GeneratedRegex(@"(?<!\d)(\d{17}[\dXx]|\d{15})(?![\dXx])")]
    private static partial Regex IdNumber();

    // Mainland mobile numbers, also written with spaces or dashes (138 1234 5678, 138-1234-5678, +86 138…).
    [GeneratedRegex(@"(?<!\d)(\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")]
    private static partial Regex MobileNumber();

    // Landlines with an area code: 0531-87654321, (0531)87654321, 053187654321.
    [GeneratedRegex(@"(?<!\d)[(（]?0\d{2,3}[)）]?[\s-]?\d{7,8}(?!\d)")]
    private static partial Regex Landline();

    // Any other run of 7 or more digits may be a number to reach someone by.
    [GeneratedRegex(@"\d{7,}")]
    private static partial Regex LongDigitRun();

    // A surname with a form of address: 王先生, 李女士, 张主任, 刘师傅, 陈科长, 小王 is left (no surname+given name).
    [GeneratedRegex(@"[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤][\u4e00-\u9fa5]?(?<title>先生|女士|小姐|师傅|主任|科长|局长|处长|经理|老师|大姐|大哥|阿姨|同志|警官)")]
    private static partial Regex NameWithTitle();

    // "我叫张三" / "本人李四" / "我是王五": the name after a self-introduction.
    [GeneratedRegex(@"(?<intro>我叫|我是|本人|姓名[:：]?)[\u4e00-\u9fa5]{2,3}")]
    private static partial Regex SelfIntroduction();
}

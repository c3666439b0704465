using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ServiceHall.Kiosk.Accessibility;

namespace ServiceHall.Kiosk.Tests;

/// <summary>Every UI string is in the resource files, in both languages, and none is written into a component.</summary>
public sealed partial class SharedStringsTests
{
    private static readonly string KioskFolder = Path.Combine(RepositoryRoot(), "kiosk");

    private static readonly IReadOnlyDictionary<string, string> Chinese = ReadResx("SharedStrings.resx");
    private static readonly IReadOnlyDictionary<string, string> English = ReadResx("SharedStrings.en.resx");

    [Fact]
    public void EveryChineseString_HasAnEnglishOne()
    {
        var missing = Chinese.Keys.Where(key => !English.TryGetValue(key, out var value) || string.IsNullOrWhiteSpace(value));
        var extra = English.Keys.Except(Chinese.Keys);

        Assert.Empty(missing);
        Assert.Empty(extra);
        Assert.True(Chinese.Count > 100, $"only {Chinese.Count} strings found");
    }

    [Fact]
    public void EveryString_HasTheSamePlaceholdersInBothLanguages()
    {
        var mismatched = Chinese.Keys.Where(key => !Placeholders(Chinese[key]).SequenceEqual(Placeholders(English[key])));

        Assert.Empty(mismatched);
    }

    [Fact]
    public void TheCompiledResources_ServeBothLanguages()
    {
        var resources = new ResourceManager("ServiceHall.Kiosk.Resources.SharedStrings", typeof(KioskOptions).Assembly);

        Assert.Equal("非常满意", resources.GetString("Level.VerySatisfied", CultureInfo.GetCultureInfo("zh-CN")));
        Assert.Equal("Very satisfied", resources.GetString("Level.VerySatisfied", CultureInfo.GetCultureInfo("en-US")));
    }

    [Fact]
    public void LevelLabels_InChinese_AreExactlyTheNationalWording_AndEnglishHasItsOwn()
    {
        var chinese = TestText.Create(KioskLanguage.Chinese);
        var english = TestText.Create(KioskLanguage.English);

        // 国办发〔2019〕51号: the labels exactly, in this order.
        Assert.Equal(["非常满意", "满意", "基本满意", "不满意", "非常不满意"], SatisfactionLevels.All.Select(chinese.Level));
        Assert.Equal(SatisfactionLevels.All.Select(l => l.Label()), SatisfactionLevels.All.Select(chinese.Level));
        Assert.Equal(["Very satisfied", "Satisfied", "Basically satisfied", "Dissatisfied", "Very dissatisfied"],
            SatisfactionLevels.All.Select(english.Level));
    }

    [Fact]
    public void KioskText_LooksUpInTheCircuitsLanguage_NotTheThreadCulture()
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
        try
        {
            var chinese = TestText.Create(KioskLanguage.Chinese);

            Assert.Equal("我要评价", chinese["Home.Rate"]);
            Assert.Equal("共 3 个事项", chinese.Format("Items.Count", 3));
            Assert.Equal("en-US", CultureInfo.CurrentUICulture.Name);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void EveryKeyUsedInTheKiosk_IsInTheResources()
    {
        var used = SourceFiles()
            .SelectMany(file => KeyReference().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Key: m.Groups["key"].Value)))
            .ToList();

        Assert.True(used.Count > 100, $"only {used.Count} uses found; has the pattern changed?");
        Assert.Empty(used.Where(u => !Chinese.ContainsKey(u.Key)).Select(u => $"{u.File}: {u.Key}"));
    }

    [Fact]
    public void Components_HoldNoChineseText_OnlyResourceKeys()
    {
        var offending = Directory.EnumerateFiles(Path.Combine(KioskFolder, "Components"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(file => CodeOnly(File.ReadAllText(file)).Split('\n')
                .Where(line => HanCharacter().IsMatch(line))
                .Select(line => $"{Path.GetFileName(file)}: {line.Trim()}"))
            .ToList();

        Assert.Empty(offending);
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(KioskFolder, "*.razor", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(KioskFolder, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>A component's source without Razor comments (@* … *@) and C# comments, which may cite rules in Chinese.</summary>
    private static string CodeOnly(string source) =>
        LineComment().Replace(RazorComment().Replace(source, ""), "");

    private static IEnumerable<string> Placeholders(string text) =>
        Placeholder().Matches(text).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal);

    private static Dictionary<string, string> ReadResx(string name) =>
        XDocument.Load(Path.Combine(KioskFolder, "Resources", name)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ServiceHall.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("ServiceHall.sln not found above the test folder");
    }

    // Text["Key"], Text.Format("Key", …), Text[cond ? "A" : "B"], Spoken("A", "B") and the "Steps.*" label list.
    [GeneratedRegex("""(?<![\w.])"(?<key>(?:Common|Layout|Connecting|Home|Items|Item|TimeLimit|Level|Steps|Rate|NotFound|Error|Reconnect|Maintenance)\.[A-Za-z.]+)"(?!\w)""")]
    private static partial Regex KeyReference();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex HanCharacter();

    [GeneratedRegex(@"@\*.*?\*@", RegexOptions.Singleline)]
    private static partial Regex RazorComment();

    [GeneratedRegex(@"^\s*//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}

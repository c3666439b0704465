using System.Text;
using ServiceHall.Server.Domain;
using Xunit.Abstractions;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>
/// The adversarial set (PublicTextCases.tsv): realistic complaints and hostile ways of writing a phone number, ID
/// number, account, plate or name. Every text must come out as expected, and no secret may reach what is published,
/// however it is spaced or written.
/// </summary>
public sealed class PublicTextCasesTests(ITestOutputHelper output)
{
    // The catalog's staff in these cases: two names and their 工号.
    private static readonly string[] Staff = ["王芳", "HY0101", "李建军", "HY0207"];

    private sealed record Case(int Line, string Expected, string Text, string[] Secrets);

    [Fact]
    public void Review_AdversarialSet_EachAsExpectedAndNothingLeaks()
    {
        var cases = LoadCases();
        var failures = new List<string>();
        var (caught, withheld, kept, leaked) = (0, 0, 0, 0);
        foreach (var c in cases)
        {
            var review = PublicText.Review(c.Text, Staff);
            var published = review.Withheld ? PublicText.WithheldText : review.Text;
            var outcome = review.Withheld ? "withhold" : review.Changed ? "scrub" : "keep";
            (caught, withheld, kept) = outcome switch
            {
                "withhold" => (caught, withheld + 1, kept),
                "scrub" => (caught + 1, withheld, kept),
                _ => (caught, withheld, kept + 1),
            };
            var leaks = c.Secrets.Where(s => Compact(published).Contains(Compact(s), StringComparison.OrdinalIgnoreCase)).ToList();
            leaked += leaks.Count > 0 ? 1 : 0;
            output.WriteLine($"{c.Line}\t{outcome}\t{published}");
            if (outcome != c.Expected || leaks.Count > 0)
            {
                failures.Add($"line {c.Line}: expected {c.Expected}, got {outcome}{(leaks.Count > 0 ? " LEAKED " + string.Join("|", leaks) : "")}: {c.Text} → {published}");
            }
        }

        output.WriteLine($"texts {cases.Count}, caught {caught}, withheld {withheld}, unchanged {kept}, leaked {leaked}");
        Assert.True(cases.Count >= 300, $"only {cases.Count} cases");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static List<Case> LoadCases() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Domain", "PublicTextCases.tsv"), Encoding.UTF8)
            .Select((line, i) => (line, i))
            .Where(x => x.line.Length > 0 && !x.line.StartsWith('#'))
            .Select(x =>
            {
                var parts = x.line.Split('\t');
                return new Case(
                    x.i + 1, parts[0], Unescape(parts[1]),
                    parts.Length > 2 && parts[2].Length > 0 ? parts[2].Split('|').Select(Unescape).ToArray() : []);
            })
            .ToList();

    private static string Unescape(string field) => field.Replace("\\t", "\t", StringComparison.Ordinal);

    // What a reader could piece together: the normalised text without spacing and punctuation between characters.
    private static string Compact(string text) =>
        new(PublicText.Normalise(text).Where(char.IsLetterOrDigit).ToArray());
}

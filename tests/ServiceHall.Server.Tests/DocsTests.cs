using System.Text.RegularExpressions;

namespace ServiceHall.Server.Tests;

/// <summary>
/// The rules are documented once, in docs/, and code comments point there: every pointer must lead to a page and a
/// section that exist, and nothing may point to documents outside the repository.
/// </summary>
public partial class DocsTests
{
    private static readonly string Root = FindRepositoryRoot();

    private static readonly string[] SourceExtensions = [".cs", ".razor", ".proto", ".sh", ".json", ".css", ".js", ".md", ".csproj"];

    [Fact]
    public void Sources_PointToDocsPages_ThatExistWithTheirSections()
    {
        var broken = new List<string>();
        var pointers = 0;
        foreach (var file in SourceFiles())
        {
            foreach (Match m in DocsPointer().Matches(File.ReadAllText(file)))
            {
                pointers++;
                var page = Path.Combine(Root, m.Groups["page"].Value);
                if (!File.Exists(page))
                {
                    broken.Add($"{Relative(file)}: {m.Value} (no such page)");
                }
                else if (m.Groups["anchor"].Success && !AnchorsOf(page).Contains(m.Groups["anchor"].Value))
                {
                    broken.Add($"{Relative(file)}: {m.Value} (no such section)");
                }
            }
        }

        Assert.True(pointers >= 30, $"only {pointers} pointers to docs/ found: is the repository root right ({Root})?");
        Assert.Empty(broken);
    }

    [Fact]
    public void DocsPages_LinkToPagesAndSectionsThatExist()
    {
        var broken = new List<string>();
        foreach (var page in Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories))
        {
            foreach (Match m in MarkdownLink().Matches(File.ReadAllText(page)))
            {
                var target = m.Groups["page"].Value.Length == 0
                    ? page
                    : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, m.Groups["page"].Value));
                if (!File.Exists(target) && !Directory.Exists(target))
                {
                    broken.Add($"{Relative(page)}: {m.Value} (no such page)");
                }
                else if (m.Groups["anchor"].Success && !AnchorsOf(target).Contains(m.Groups["anchor"].Value))
                {
                    broken.Add($"{Relative(page)}: {m.Value} (no such section)");
                }
            }
        }

        Assert.Empty(broken);
    }

    [Fact]
    public void Sources_NeverCiteDocumentsOutsideTheRepository()
    {
        var outside = SourceFiles()
            .Where(f => OutsideDocument().IsMatch(File.ReadAllText(f)))
            .Select(Relative)
            .ToList();

        Assert.Empty(outside);
    }

    /// <summary>Section anchors as GitHub makes them: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static HashSet<string> AnchorsOf(string page) =>
        File.ReadLines(page)
            .Where(l => l.StartsWith('#'))
            .Select(l => l.TrimStart('#').Trim().ToLowerInvariant())
            .Select(h => string.Concat(h.Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')).Replace(' ', '-'))
            .ToHashSet();

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f => SourceExtensions.Contains(Path.GetExtension(f)))
            .Where(f => !Relative(f).Split('/').Any(part => part is "bin" or "obj" or ".git" or "node_modules" or "artifacts" or ".data"))
            .Where(f => !Relative(f).StartsWith("docs/", StringComparison.Ordinal));

    private static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ServiceHall.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ServiceHall.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"(?<page>docs/[\w/.-]+?\.md)(?:#(?<anchor>[\w\-\u4e00-\u9fff]+))?")]
    private static partial Regex DocsPointer();

    [GeneratedRegex(@"\]\((?!https?:)(?<page>[^)#\s]*)(?:#(?<anchor>[^)\s]+))?\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"\b(DOMAIN|DESIGN)(\.md\b| §)")]
    private static partial Regex OutsideDocument();
}

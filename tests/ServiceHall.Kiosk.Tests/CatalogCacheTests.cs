using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Tests;

public sealed class CatalogCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8)));

    private CatalogCache Cache(FakeCatalogServer server)
    {
        var options = TestCatalog.Options(_dir.Path);
        return new CatalogCache(
            new ServiceHallClient(server, new FakeRatingServer(), _clock),
            TestCatalog.Wrap(options),
            KioskPaths.Resolve(options, "/"),
            _clock,
            NullLogger<CatalogCache>.Instance);
    }

    [Fact]
    public async Task LoadSavedAsync_KioskRestartsWhileServerIsDown_ShowsTheCatalogSavedBefore()
    {
        using (var online = Cache(new FakeCatalogServer()))
        {
            Assert.True(await online.RefreshAsync(CancellationToken.None));
        }
        _clock.Advance(TimeSpan.FromHours(3));

        using var offline = Cache(new FakeCatalogServer { Response = null });
        await offline.LoadSavedAsync(CancellationToken.None);
        Assert.False(await offline.RefreshAsync(CancellationToken.None));

        var snapshot = Assert.IsType<CatalogSnapshot>(offline.Current);
        Assert.Equal(CatalogSource.SavedFile, snapshot.Source);
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromHours(3), snapshot.FetchedAt);
        Assert.Equal("槐荫区政务服务中心", snapshot.Catalog.Hall.Name);
        Assert.Equal(["B03", "A01", "C01"], snapshot.Catalog.Windows.Select(w => w.Code));
        Assert.Equal(TestCatalog.TagListVersion, snapshot.Catalog.ReasonTags.Version);
        var item = snapshot.Catalog.ServiceItems[0];
        Assert.Equal("稳岗返还申请表", Assert.Single(item.Materials).Name);
        Assert.Equal(["申请", "审核"], item.ProcessSteps);
    }

    [Fact]
    public async Task RefreshAsync_ServerDownAndNothingSaved_LeavesNoCatalog()
    {
        using var cache = Cache(new FakeCatalogServer { Response = null });

        await cache.LoadSavedAsync(CancellationToken.None);
        Assert.False(await cache.RefreshAsync(CancellationToken.None));

        Assert.Null(cache.Current);
    }

    [Fact]
    public async Task RefreshAsync_ServerGoesAway_KeepsTheCatalogItHad()
    {
        var server = new FakeCatalogServer();
        using var cache = Cache(server);
        var changes = 0;
        cache.Changed += () => changes++;
        await cache.RefreshAsync(CancellationToken.None);

        server.Response = null;
        await cache.RefreshAsync(CancellationToken.None);

        Assert.Equal(CatalogSource.Server, cache.Current?.Source);
        Assert.Equal(1, changes);
    }

    [Fact]
    public async Task LoadSavedAsync_FileSavedBeforeTheServerSentItsRules_UsesTheDefaultRules()
    {
        using (var online = Cache(new FakeCatalogServer()))
        {
            Assert.True(await online.RefreshAsync(CancellationToken.None));
        }
        // A catalog.json written by an older kiosk has no ratingRules at all.
        var file = Path.Combine(_dir.Path, "catalog.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        Assert.True(json["catalog"]!.AsObject().Remove("ratingRules"));
        await File.WriteAllTextAsync(file, json.ToJsonString());

        using var offline = Cache(new FakeCatalogServer { Response = null });
        await offline.LoadSavedAsync(CancellationToken.None);

        var catalog = Assert.IsType<CatalogSnapshot>(offline.Current).Catalog;
        Assert.Null(catalog.RatingRules);
        Assert.Equal(RatingInputRules.Default, catalog.Rules);
        Assert.Equal(500, catalog.Rules.MaxTextLength);
    }

    [Fact]
    public async Task LoadSavedAsync_FileWithTheServersRules_KeepsThem()
    {
        var response = TestCatalog.Response();
        response.RatingRules = new() { MaxTextLength = 120, CallbackPhonePattern = "^1[0-9]{10}$" };
        using (var online = Cache(new FakeCatalogServer { Response = response }))
        {
            Assert.True(await online.RefreshAsync(CancellationToken.None));
        }

        using var offline = Cache(new FakeCatalogServer { Response = null });
        await offline.LoadSavedAsync(CancellationToken.None);

        Assert.Equal(new RatingInputRules(120, "^1[0-9]{10}$"), offline.Current?.Catalog.Rules);
    }

    public void Dispose() => _dir.Dispose();
}

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

    public void Dispose() => _dir.Dispose();
}

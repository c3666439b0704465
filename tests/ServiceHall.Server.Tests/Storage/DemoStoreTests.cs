using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Server.History;
using ServiceHall.Server.Storage;
using ServiceHall.Server.Tests.Grpc;

namespace ServiceHall.Server.Tests.Storage;

/// <summary>
/// Demo tools cannot touch real data: a store records at creation whether it is a demo store, and `history generate`
/// and run.sh's demo steps (`store require-demo`) refuse any other.
/// </summary>
public sealed class DemoStoreTests
{
    [Fact]
    public async Task SeededStore_IsADemoStore_DemoToolsRun()
    {
        using var server = new ServerFactory();

        Assert.True(await server.Services.GetRequiredService<ICatalogStore>().IsDemoStoreAsync(CancellationToken.None));
        Assert.Equal(0, await AdminCommand.RunAsync(server.Services, ["store", "require-demo"]));
        Assert.Equal(0, await AdminCommand.RunAsync(server.Services, ["history", "generate", "--ratings", "40", "--days", "10"]));
        Assert.Equal(40, server.Scalar("SELECT COUNT(*) FROM ratings"));
    }

    [Fact]
    public async Task HistoryGenerate_OnAStoreOfUnknownOrigin_RefusedAndNothingStored()
    {
        using var server = new ServerFactory();
        _ = server.Services;
        // A store made before stores recorded their origin has no row: it counts as a district's own.
        TestStore.Execute(server.DatabasePath, server.PostgresConnectionString, "DELETE FROM store_origin");

        Assert.Equal(AdminCommand.NotADemoStore, await AdminCommand.RunAsync(server.Services, ["history", "generate", "--ratings", "40"]));
        Assert.Equal(AdminCommand.NotADemoStore, await AdminCommand.RunAsync(server.Services, ["store", "require-demo"]));
        Assert.Equal(0, server.Scalar("SELECT COUNT(*) FROM ratings"));
    }

    [Fact]
    public async Task DemoTools_OnAStoreAnOlderServerMade_RefusedWithoutMigratingIt()
    {
        using var server = new ServerFactory();
        _ = server.Services;
        // As a district's store looks before this server's last migration: it has data, and no origin recorded.
        TestStore.Execute(server.DatabasePath, server.PostgresConnectionString, "DROP TABLE store_origin");
        TestStore.Execute(server.DatabasePath, server.PostgresConnectionString, "DELETE FROM schema_migrations WHERE version = 9");

        Assert.Equal(AdminCommand.NotADemoStore, await AdminCommand.RunAsync(server.Services, ["store", "require-demo"]));
        Assert.Equal(AdminCommand.NotADemoStore, await AdminCommand.RunAsync(server.Services, ["history", "generate", "--ratings", "40"]));

        Assert.Equal(0, server.Scalar("SELECT COUNT(*) FROM schema_migrations WHERE version = 9"));
        Assert.Equal(0, server.Scalar("SELECT COUNT(*) FROM ratings"));
    }

    [Fact]
    public async Task CatalogImport_CreatesADistrictStore_OnWhichDemoToolsAreRefused()
    {
        var directory = Directory.CreateTempSubdirectory("servicehall-district-").FullName;
        var catalogFile = Path.Combine(directory, "district.json");
        await using (var resource = typeof(Program).Assembly.GetManifestResourceStream("ServiceHall.Server.demo-district.json")!)
        await using (var file = File.Create(catalogFile))
        {
            await resource.CopyToAsync(file);
        }

        var import = await RunServerCommandAsync(directory, "catalog", "import", "--file", catalogFile);
        Assert.True(import.ExitCode == 0, import.Output);

        using var server = new DistrictServer(directory);
        Assert.False(await server.Services.GetRequiredService<ICatalogStore>().IsDemoStoreAsync(CancellationToken.None));
        var refusal = await Assert.ThrowsAsync<NotADemoStoreException>(() => server.Services.GetRequiredService<RatingHistory>()
            .GenerateAsync(40, 10, 2, 1, CancellationToken.None));
        Assert.Contains("not created as a demo store", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Scalar("SELECT COUNT(*) FROM ratings"));

        // The command line says so too, with its own exit code: run.sh stops on it before any demo step.
        var check = await RunServerCommandAsync(directory, "store", "require-demo");
        Assert.Equal(AdminCommand.NotADemoStore, check.ExitCode);
        Assert.Contains("not created as a demo store", check.Output, StringComparison.Ordinal);
    }

    /// <summary>A server on a store that holds an imported catalog; it must not seed the demo district.</summary>
    private sealed class DistrictServer(string directory) : ServerFactory(directory, ownsDirectory: true)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Storage:SeedDemoDistrict", "false");
        }
    }

    /// <summary>Runs the server's command line on the store of <paramref name="directory"/>, as an operator would.</summary>
    private static async Task<(int ExitCode, string Output)> RunServerCommandAsync(string directory, params string[] args)
    {
        var serverDll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(serverDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Production would also require the key settings of a deployment (KeyStorageTests); this test is about the store.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Storage__DatabasePath"] = Path.Combine(directory, "servicehall.db");
        if (TestStore.IsPostgres)
        {
            start.Environment["Storage__PostgresConnectionString"] = TestStore.CreatePostgresDatabase(TestStore.DatabaseNameFor(directory));
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// One of the apps running as its own process from its published output (dotnet publish, made by this project's build
/// into artifacts/publish) in the Production environment, as a district runs it; stopped on dispose.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private AppProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary>Whether one of the app's last 500 lines contains <paramref name="text"/>.</summary>
    public bool HasPrinted(string text) => _output.Any(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>The last lines the app wrote, for a failing test's message.</summary>
    public string RecentOutput => string.Join('\n', _output.TakeLast(60));

    /// <summary>
    /// Starts the published {assembly}.dll from its folder (its content root) and waits until readyUrl answers 200
    /// (asked with <paramref name="probe"/> when given, e.g. a client that trusts a test's certificate authority).
    /// </summary>
    public static async Task<AppProcess> StartAsync(
        string assembly, IReadOnlyDictionary<string, string> environment, Uri readyUrl, HttpClient? probe = null)
    {
        var start = Published(assembly, environment, []);
        start.Environment["DOTNET_NOLOGO"] = "1";
        var app = new AppProcess(assembly, Process.Start(start)!);
        app._process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        await app.WaitUntilReadyAsync(readyUrl, TimeSpan.FromSeconds(60), probe ?? Http);
        return app;
    }

    /// <summary>Runs a one-off command of an app (e.g. the server's "kiosks enroll") and returns what it printed.</summary>
    public static async Task<string> RunCommandAsync(
        string assembly, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(Published(assembly, environment, args))!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0
            ? (await stdout).Trim()
            : throw new InvalidOperationException($"{assembly} {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ServiceHall.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ServiceHall.sln not found above the test folder");
    }

    /// <summary>How to run the published app with <paramref name="args"/>, in Production unless the environment says otherwise.</summary>
    private static ProcessStartInfo Published(string assembly, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "publish", Configuration, assembly);
        var dll = Path.Combine(folder, assembly + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException(
                $"{dll} is not published; the end-to-end project's build publishes it (run the tests with `dotnet test ServiceHall.sln`)", dll);
        }

        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 500)
        {
            _output.TryDequeue(out _);
        }
    }

    private async Task WaitUntilReadyAsync(Uri url, TimeSpan bound, HttpClient http)
    {
        var deadline = DateTime.UtcNow + bound;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} did not answer {url} within {bound}:\n{RecentOutput}");
    }

    private bool _disposed;

    /// <summary>Kills the app (a test may stop one early; the fixture's later dispose then does nothing).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }

        _process.Dispose();
    }
}

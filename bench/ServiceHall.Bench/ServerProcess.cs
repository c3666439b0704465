using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ServiceHall.Bench.Fleet;

namespace ServiceHall.Bench;

/// <summary>
/// The real server as a child process (<c>dotnet ServiceHall.Server.dll</c>), configured only through environment variables:
/// its own temp content root and working directory, free loopback ports, its store, warnings-only logging. Its output
/// goes to server.log in that directory. Kiosks are enrolled with the server's own CLI before it starts.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly DirectoryInfo _directory;
    private string _serverDll = "";
    private Dictionary<string, string> _environment = [];

    private ServerProcess(Process process, StreamWriter log, DirectoryInfo directory, Uri grpcAddress, IReadOnlyList<KioskIdentity> kiosks)
    {
        _process = process;
        _log = log;
        _directory = directory;
        GrpcAddress = grpcAddress;
        Kiosks = kiosks;
    }

    public Uri GrpcAddress { get; }

    public IReadOnlyList<KioskIdentity> Kiosks { get; }

    public int Pid => _process.Id;

    /// <summary>The SQLite file the server uses when no PostgreSQL connection string is given.</summary>
    public string DatabasePath => DatabasePathIn(_directory);

    public string LogPath => Path.Combine(_directory.FullName, "server.log");

    /// <summary>
    /// Enrolls the kiosks (device id, hall code) into a fresh store, then starts the server on it and waits until it
    /// answers /healthz. <paramref name="storeSettings"/> adds to the environment, e.g. the PostgreSQL connection string.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(
        string serverDll, IReadOnlyDictionary<string, string> storeSettings, IReadOnlyList<(string DeviceId, string HallCode)> kiosks,
        CancellationToken cancellationToken, IReadOnlyList<string[]>? setup = null, string? setupPassword = null)
    {
        var directory = Directory.CreateTempSubdirectory("servicehall-bench-");
        var grpcPort = FreePort();
        var webPort = FreePort();
        var environment = new Dictionary<string, string>(storeSettings)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Storage__DatabasePath"] = DatabasePathIn(directory),
            ["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{grpcPort}",
            // h2c needs an HTTP/2-only endpoint; the content root here has no appsettings.json to say so.
            ["Kestrel__Endpoints__Grpc__Protocols"] = "Http2",
            ["Kestrel__Endpoints__Web__Url"] = $"http://127.0.0.1:{webPort}",
            ["Kestrel__Endpoints__Web__Protocols"] = "Http1",
            ["Logging__LogLevel__Default"] = "Warning",
            // Production keeps the keys outside the data folder, encrypted with a certificate (docs/deployment.md#keys).
            ["Storage__KeysPath"] = Path.Combine(directory.FullName, "keys"),
            ["Storage__KeysCertificatePath"] = WriteKeysCertificate(directory),
            ["Storage__KeysCertificatePassword"] = KeysCertificatePassword,
            // Who signs the disclosures: required on start, and in the server's appsettings.json, which this content root lacks.
            ["DisclosureSender__IssuingBody"] = "ServiceHall bench",
            ["DisclosureSender__Contact"] = "bench",
        };

        var enrolled = await EnrollAsync(serverDll, directory, environment, kiosks, cancellationToken);
        // Further CLI commands on the store before the server starts (a staff account for a signed-in call, say).
        foreach (var command in setup ?? [])
        {
            var withPassword = new Dictionary<string, string>(environment) { ["SERVICEHALL_PASSWORD"] = setupPassword ?? "" };
            using var run = Process.Start(StartInfo(serverDll, directory, withPassword, command))!;
            var errors = run.StandardError.ReadToEndAsync(cancellationToken);
            await run.StandardOutput.ReadToEndAsync(cancellationToken);
            await run.WaitForExitAsync(cancellationToken);
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"{string.Join(' ', command)} exited with {run.ExitCode}:\n{await errors}");
            }
        }

        var log = new StreamWriter(Path.Combine(directory.FullName, "server.log")) { AutoFlush = true };
        var process = new Process { StartInfo = StartInfo(serverDll, directory, environment, []) };
        process.OutputDataReceived += (_, e) => WriteLine(log, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLine(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, log, directory, new Uri($"http://127.0.0.1:{grpcPort}"), enrolled)
        {
            _serverDll = serverDll,
            _environment = environment,
        };
        try
        {
            await server.WaitUntilHealthyAsync(new Uri($"http://127.0.0.1:{webPort}/healthz"), cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>One of the server's CLI commands on its store, while the server runs (the store takes both).</summary>
    public async Task RunCommandAsync(string[] command, CancellationToken cancellationToken)
    {
        using var run = Process.Start(StartInfo(_serverDll, _directory, _environment, command))!;
        var errors = run.StandardError.ReadToEndAsync(cancellationToken);
        await run.StandardOutput.ReadToEndAsync(cancellationToken);
        await run.WaitForExitAsync(cancellationToken);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} exited with {run.ExitCode}:\n{await errors}");
        }
    }

    /// <summary>The last lines the server wrote, for an error message.</summary>
    public string LogTail(int lines = 15)
    {
        lock (_log)
        {
            try
            {
                using var reader = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                return string.Join('\n', new StreamReader(reader).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
            }
            catch (IOException)
            {
                return "";
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first, so the server shuts down as it would under systemd; killed if it does not.
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }

        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"could not remove {_directory.FullName}: {e.Message}");
        }
    }

    private async Task WaitUntilHealthyAsync(Uri health, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode} while starting:\n{LogTail()}");
            }

            try
            {
                using var response = await http.GetAsync(health, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow to answer while starting.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"the server did not answer {health} within {StartTimeout.TotalSeconds:0} s:\n{LogTail()}");
    }

    /// <summary>
    /// Runs <c>ServiceHall.Server kiosks enroll --device ID --hall CODE</c> for each kiosk; the credential is the line it
    /// prints on stdout. The first run creates and seeds the store alone; the others then run two at a time.
    /// </summary>
    private static async Task<IReadOnlyList<KioskIdentity>> EnrollAsync(
        string serverDll, DirectoryInfo directory, Dictionary<string, string> environment,
        IReadOnlyList<(string DeviceId, string HallCode)> kiosks, CancellationToken cancellationToken)
    {
        var credentials = new string[kiosks.Count];
        async ValueTask EnrollOneAsync(int i, CancellationToken token)
        {
            var (deviceId, hallCode) = kiosks[i];
            using var process = Process.Start(StartInfo(
                serverDll, directory, environment, ["kiosks", "enroll", "--device", deviceId, "--hall", hallCode]))!;
            var output = process.StandardOutput.ReadToEndAsync(token);
            var errors = process.StandardError.ReadToEndAsync(token);
            await process.WaitForExitAsync(token);
            var credential = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (process.ExitCode != 0 || string.IsNullOrEmpty(credential))
            {
                throw new InvalidOperationException(
                    $"kiosks enroll --device {deviceId} --hall {hallCode} exited with {process.ExitCode}:\n{await errors}");
            }

            credentials[i] = credential;
        }

        await EnrollOneAsync(0, cancellationToken);
        await Parallel.ForEachAsync(
            Enumerable.Range(1, kiosks.Count - 1),
            new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken },
            EnrollOneAsync);
        return kiosks.Select((k, i) => new KioskIdentity(k.DeviceId, k.HallCode, credentials[i])).ToList();
    }

    private static ProcessStartInfo StartInfo(
        string serverDll, DirectoryInfo directory, Dictionary<string, string> environment, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(serverDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static string DatabasePathIn(DirectoryInfo directory) => Path.Combine(directory.FullName, "data", "bench.db");

    private const string KeysCertificatePassword = "bench keys certificate";

    /// <summary>A throwaway RSA certificate that encrypts this run's keys; returns its PFX file.</summary>
    private static string WriteKeysCertificate(DirectoryInfo directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ServiceHall bench keys", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var path = Path.Combine(directory.FullName, "keys.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, KeysCertificatePassword));
        return path;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A last line after the server was stopped.
            }
        }
    }
}

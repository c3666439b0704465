using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServiceHall.ProvinceStub;

/// <summary>How the stub misbehaves, as tests and demos set it (POST /control).</summary>
public enum StubFault
{
    /// <summary>Answers every request properly.</summary>
    None,

    /// <summary>Answers 500 before storing anything.</summary>
    Error500,

    /// <summary>Stores the items, then answers 500: the sender must send them again and not count them twice.</summary>
    Error500AfterStore,

    /// <summary>Stores the items, then drops the connection without an answer.</summary>
    DropAfterStore,

    /// <summary>Never answers (the sender's timeout must end the try).</summary>
    Timeout,

    /// <summary>Answers properly after <see cref="StubControl.DelayMs"/>.</summary>
    Delay,

    /// <summary>Stores the items, then holds the answer for <see cref="StubControl.DelayMs"/> (to stop a sender mid-batch).</summary>
    HoldAfterStore,
}

/// <summary>The stub's fault setting: which fault, on every request or every other one, and the delay it uses.</summary>
public sealed record StubControl(
    [property: JsonConverter(typeof(JsonStringEnumConverter<StubFault>))] StubFault Fault = StubFault.None,
    bool EveryOther = false,
    int DelayMs = 0);

/// <summary>What the stub holds: every item it took, once, by its uploadId, in the order it took them.</summary>
public sealed class ProvinceStubState
{
    private readonly ConcurrentDictionary<string, string> _items = new();
    private readonly ConcurrentQueue<string> _order = new();
    private readonly Lock _file = new();
    private long _requests;

    public StubControl Control { get; set; } = new();

    /// <summary>A file the stub keeps what it took in (JSON lines), so a demo's province remembers across restarts.</summary>
    public string? StorePath { get; init; }

    /// <summary>Requests that reached the upload endpoint, signed or not.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>How many times an item was sent again after the stub held it (retries, backfills).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    private long _duplicates;

    public IReadOnlyDictionary<string, string> Items => _items;

    /// <summary>The documents in the order they were first taken.</summary>
    public IReadOnlyList<string> InOrder => _order.Select(k => _items[k]).ToList();

    internal long NextRequest() => Interlocked.Increment(ref _requests);

    internal void CountDuplicate() => Interlocked.Increment(ref _duplicates);

    /// <summary>Takes an item; false if its key is held already (the held document stays).</summary>
    internal bool TryAdd(string key, string document)
    {
        if (!_items.TryAdd(key, document))
        {
            return false;
        }

        _order.Enqueue(key);
        if (StorePath is not null)
        {
            lock (_file)
            {
                File.AppendAllText(StorePath, document.ReplaceLineEndings(" ") + "\n");
            }
        }

        return true;
    }

    internal void Load()
    {
        if (StorePath is null || !File.Exists(StorePath))
        {
            return;
        }

        foreach (var line in File.ReadLines(StorePath).Where(l => l.Length > 0))
        {
            using var document = JsonDocument.Parse(line);
            if (UploadCheck.Text(document.RootElement, "uploadId") is { } key && _items.TryAdd(key, line))
            {
                _order.Enqueue(key);
            }
        }
    }
}

/// <summary>
/// A stand-in for the provincial 好差评 platform, for tests and the demo (docs/provincial-relay.md#the-stub): takes signed
/// uploads, checks the signature and every item's fields, keeps each item once by its uploadId, and misbehaves on request.
/// </summary>
public static class ProvinceStubApp
{
    public const string UploadPath = "/api/evaluations";

    /// <summary>How far a request's timestamp may be from the stub's clock.</summary>
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

    public static async Task Main(string[] args)
    {
        var app = Build(args);
        await app.RunAsync();
    }

    /// <summary>The stub as a web app (tests start it on a free port with "--urls http://127.0.0.1:0").</summary>
    public static WebApplication Build(string[] args, ProvinceStubState? state = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "provincestub.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args);
        var secret = builder.Configuration["ProvinceStub:SharedSecret"];
        if (string.IsNullOrEmpty(secret))
        {
            throw new InvalidOperationException("ProvinceStub:SharedSecret must be set (the secret the district's relay signs with)");
        }

        var region = builder.Configuration["ProvinceStub:RegionCode"];
        state ??= new ProvinceStubState { StorePath = builder.Configuration["ProvinceStub:StorePath"] };
        state.Load();
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        var log = app.Logger;

        app.MapPost(UploadPath, async (HttpContext http) =>
        {
            var number = state.NextRequest();
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            var body = buffer.ToArray();
            if (WhyUnsigned(http.Request.Headers, body, secret, region) is { } unsigned)
            {
                log.LogWarning("Request {Number} refused: {Reason}", number, unsigned);
                return Results.Json(new { error = unsigned }, statusCode: StatusCodes.Status401Unauthorized);
            }

            var control = state.Control;
            var fault = control.EveryOther && number % 2 == 0 ? StubFault.None : control.Fault;
            switch (fault)
            {
                case StubFault.Error500:
                    return Results.Json(new { error = "injected failure before storing" }, statusCode: 500);
                case StubFault.Timeout:
                    await Task.Delay(Timeout.Infinite, http.RequestAborted);
                    return Results.StatusCode(504);
                case StubFault.Delay:
                    await Task.Delay(control.DelayMs, http.RequestAborted);
                    break;
            }

            JsonDocument envelope;
            try
            {
                envelope = JsonDocument.Parse(body);
            }
            catch (JsonException e)
            {
                return Results.Json(new { error = "body is not JSON: " + e.Message }, statusCode: 400);
            }

            using (envelope)
            {
                if (!envelope.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
                {
                    return Results.Json(new { error = "items: required array" }, statusCode: 400);
                }

                var accepted = new List<string>();
                var duplicates = new List<string>();
                var refused = new List<object>();
                foreach (var item in items.EnumerateArray())
                {
                    var key = item.ValueKind == JsonValueKind.Object ? UploadCheck.Text(item, "uploadId") : null;
                    if (string.IsNullOrEmpty(key))
                    {
                        refused.Add(new { uploadId = "", reason = "uploadId: required" });
                        continue;
                    }

                    if (UploadCheck.WhyRefused(item) is { } why)
                    {
                        refused.Add(new { uploadId = key, reason = why });
                        continue;
                    }

                    var document = item.GetRawText();
                    if (state.TryAdd(key, document))
                    {
                        accepted.Add(key);
                    }
                    else if (state.Items[key] == document)
                    {
                        state.CountDuplicate();
                        duplicates.Add(key);
                    }
                    else
                    {
                        // 同源发布: one item, one content. A different document under a held key is a fault of the sender.
                        refused.Add(new { uploadId = key, reason = "uploadId: held already with different content" });
                    }
                }

                log.LogInformation(
                    "Request {Number}: {Accepted} taken, {Duplicates} held already, {Refused} refused", number, accepted.Count, duplicates.Count,
                    refused.Count);
                switch (fault)
                {
                    case StubFault.Error500AfterStore:
                        return Results.Json(new { error = "injected failure after storing" }, statusCode: 500);
                    case StubFault.DropAfterStore:
                        http.Abort();
                        return Results.Empty;
                    case StubFault.HoldAfterStore:
                        await Task.Delay(control.DelayMs, http.RequestAborted);
                        break;
                }

                return Results.Json(new { accepted, duplicates, refused });
            }
        });

        app.MapPost("/control", (StubControl control) =>
        {
            state.Control = control;
            log.LogInformation("Fault set to {Fault} (every other: {EveryOther}, delay {DelayMs} ms)", control.Fault, control.EveryOther, control.DelayMs);
            return Results.Ok(control);
        });
        app.MapGet("/status", () => Results.Json(new
        {
            items = state.Items.Count, requests = state.Requests, duplicates = state.Duplicates, control = state.Control,
        }));
        app.MapGet("/received", () => Results.Text("[" + string.Join(",", state.InOrder) + "]", "application/json", Encoding.UTF8));
        return app;
    }

    /// <summary>Why a request's signature does not hold, or null: HMAC-SHA256(secret, timestamp + "\n" + body), hex.</summary>
    private static string? WhyUnsigned(IHeaderDictionary headers, byte[] body, string secret, string? region)
    {
        if (!long.TryParse(headers["X-Timestamp"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "X-Timestamp: required (Unix seconds)";
        }

        if ((DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > AllowedSkew)
        {
            return "X-Timestamp: too far from now";
        }

        if (region is { Length: > 0 } && headers["X-Region-Code"] != region)
        {
            return $"X-Region-Code: this endpoint takes region {region}";
        }

        var timestamp = Encoding.UTF8.GetBytes(seconds.ToString(CultureInfo.InvariantCulture) + "\n");
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), timestamp.Concat(body).ToArray());
        var given = headers["X-Signature"].ToString();
        return given.Length == expected.Length * 2
               && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(given.All(Uri.IsHexDigit) ? given : new string('0', given.Length)), expected)
            ? null
            : "X-Signature: does not match";
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Instances;
using ServiceHall.Server.Metrics;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Relay;

/// <summary>A request to the province that failed as a whole; <see cref="Kind"/> is what the console counts it under.</summary>
public sealed class RelayFailure(string kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Kind { get; } = kind;
}

/// <summary>What the province answered for a batch: items taken now, items it held already, items it refused and why.</summary>
public sealed record ProvinceAnswer(IReadOnlyList<string> Accepted, IReadOnlyList<string> Duplicates, IReadOnlyList<(string Key, string Reason)> Refused);

/// <summary>
/// Sends one batch to the province (docs/provincial-relay.md#wire-format): a JSON envelope of the queued documents, signed with
/// HMAC-SHA256 over the timestamp and the body.
/// </summary>
public sealed class ProvinceClient(HttpClient http, IOptions<ProvincialRelayOptions> options, CatalogSource catalog, TimeProvider time)
{
    public const string TimestampHeader = "X-Timestamp";
    public const string SignatureHeader = "X-Signature";
    public const string RegionHeader = "X-Region-Code";

    /// <summary>The signature of a request: lowercase hex of HMAC-SHA256(secret, timestamp + "\n" + body).</summary>
    public static string Sign(string secret, string timestamp, byte[] body)
    {
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + 1 + body.Length];
        var n = Encoding.UTF8.GetBytes(timestamp, signed);
        signed[n] = (byte)'\n';
        body.CopyTo(signed, n + 1);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    public async Task<ProvinceAnswer> SendAsync(IReadOnlyList<PendingUpload> batch, CancellationToken cancellationToken)
    {
        var regionCode = catalog.Current.RegionCode;
        var body = Envelope(regionCode, ProvincialUploadsTime(), batch);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(RegionHeader, regionCode);
        request.Headers.Add(SignatureHeader, Sign(options.Value.SharedSecret!, timestamp, body));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RelayFailure(RelayFailureKinds.Network, e.Message, e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var kind = response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => RelayFailureKinds.Signature,
                    >= HttpStatusCode.InternalServerError => RelayFailureKinds.ServerError,
                    _ => RelayFailureKinds.RequestRefused,
                };
                throw new RelayFailure(kind, $"HTTP {(int)response.StatusCode}: {(text.Length > 200 ? text[..200] : text)}");
            }

            return ReadAnswer(text);
        }
    }

    private string ProvincialUploadsTime() => ProvincialUploads.BeijingTime(time.GetUtcNow());

    // The documents go as queued, byte for byte (同源发布): the envelope only wraps them.
    private static byte[] Envelope(string regionCode, string sentAt, IReadOnlyList<PendingUpload> batch)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("areaCode", regionCode);
            json.WriteString("sendTime", sentAt);
            json.WriteStartArray("items");
            foreach (var item in batch)
            {
                json.WriteRawValue(item.Document, skipInputValidation: true);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static ProvinceAnswer ReadAnswer(string text)
    {
        try
        {
            using var answer = JsonDocument.Parse(text);
            var root = answer.RootElement;
            static IReadOnlyList<string> Keys(JsonElement root, string name) =>
                root.TryGetProperty(name, out var list) ? list.EnumerateArray().Select(k => k.GetString()!).ToList() : [];
            var refused = root.TryGetProperty("refused", out var r)
                ? r.EnumerateArray().Select(x => (x.GetProperty("uploadId").GetString()!, x.GetProperty("reason").GetString() ?? "")).ToList()
                : [];
            return new ProvinceAnswer(Keys(root, "accepted"), Keys(root, "duplicates"), refused);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new RelayFailure(RelayFailureKinds.BadAnswer, "the province's answer is not the expected JSON: " + e.Message, e);
        }
    }
}

/// <summary>
/// Drains the provincial upload queue (docs/provincial-relay.md#sending): the oldest items in batches, each batch sent until the
/// province answers (exponential backoff with jitter between tries, each try bounded by a timeout), then marked. Of several
/// instances on one database, only the one leading runs it. An item the province took but whose answer was lost is sent again
/// and recognised there by its key.
/// </summary>
public sealed class ProvincialRelayJob(
    ProvincialUploadQueue queue, ProvinceClient province, IJobLeadership leadership, ServerMetrics metrics,
    IOptions<ProvincialRelayOptions> options, ILogger<ProvincialRelayJob> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Looks at the queue now instead of at the next poll (after a backfill).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsEnabled)
        {
            logger.LogInformation("Provincial relay off: no ProvincialRelay:Endpoint configured");
            return;
        }

        var settings = options.Value;
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RelayFailure>().Handle<TimeoutRejectedException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(settings.RetryDelayMilliseconds),
                MaxDelay = TimeSpan.FromSeconds(settings.MaxRetryDelaySeconds),
                MaxRetryAttempts = int.MaxValue,
                OnRetry = async args =>
                {
                    var (kind, message) = args.Outcome.Exception switch
                    {
                        RelayFailure f => (f.Kind, f.Message),
                        TimeoutRejectedException => (RelayFailureKinds.Timeout, $"no answer within {settings.RequestTimeoutSeconds} s"),
                        var other => ("other", other?.Message ?? "unknown"),
                    };
                    metrics.RelayFailed(kind);
                    logger.LogWarning("Provincial upload failed ({Kind}: {Message}); trying again in {Delay}", kind, message, args.RetryDelay);
                    await queue.RecordFailureAsync(CurrentKeys, kind, message, args.Context.CancellationToken);
                },
            })
            .AddTimeout(TimeSpan.FromSeconds(settings.RequestTimeoutSeconds))
            .Build();

        while (!stoppingToken.IsCancellationRequested)
        {
            await leadership.WaitUntilLeaderAsync(stoppingToken);
            try
            {
                var batch = await queue.ListPendingAsync(settings.BatchSize, stoppingToken);
                if (batch.Count == 0)
                {
                    await _wake.WaitAsync(TimeSpan.FromMilliseconds(settings.PollMilliseconds), stoppingToken);
                    continue;
                }

                CurrentKeys = batch.Select(b => b.Key).ToList();
                var started = Stopwatch.GetTimestamp();
                var answer = await pipeline.ExecuteAsync(async token => await province.SendAsync(batch, token), stoppingToken);
                await RecordAsync(batch, answer, stoppingToken);
                metrics.RelayDelivered(answer.Accepted.Count + answer.Duplicates.Count, Stopwatch.GetElapsedTime(started));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database away, say: the queue is still there; try again after a pause.
                logger.LogError(e, "Provincial relay could not read or mark its queue; trying again");
                await Task.Delay(TimeSpan.FromMilliseconds(settings.RetryDelayMilliseconds), stoppingToken);
            }
        }
    }

    private IReadOnlyCollection<string> CurrentKeys { get; set; } = [];

    private async Task RecordAsync(IReadOnlyList<PendingUpload> batch, ProvinceAnswer answer, CancellationToken cancellationToken)
    {
        var sent = batch.Select(b => b.Key).ToHashSet();
        // Only keys of this batch count; one the province did not mention stays queued and goes again.
        var delivered = answer.Accepted.Concat(answer.Duplicates).Where(sent.Contains).ToHashSet();
        var refused = answer.Refused.Where(r => sent.Contains(r.Key) && !delivered.Contains(r.Key)).ToList();
        foreach (var (key, reason) in refused)
        {
            logger.LogWarning("The province refused upload {UploadKey}: {Reason}", key, reason);
        }

        await queue.RecordAnswerAsync(delivered, refused, cancellationToken);
    }
}

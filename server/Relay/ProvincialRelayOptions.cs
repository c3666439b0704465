using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Server.Relay;

/// <summary>
/// The upload to the provincial 好差评 platform (docs/provincial-relay.md). Section "ProvincialRelay". Off until
/// <see cref="Endpoint"/> is set; then every rating, 未评价 and case step is queued with what it reports and sent.
/// </summary>
public sealed class ProvincialRelayOptions : IValidatableObject
{
    public const string Section = "ProvincialRelay";

    /// <summary>The province's upload address (HTTPS; plain HTTP only to a loopback address, for the stub).</summary>
    public string? Endpoint { get; set; }

    /// <summary>The secret the province gave the district for signing requests (HMAC-SHA256); at least 32 characters.</summary>
    public string? SharedSecret { get; set; }

    /// <summary>Items per request.</summary>
    [Range(1, 1_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>How long one request may take before it counts as timed out and is sent again.</summary>
    [Range(1, 300)]
    public int RequestTimeoutSeconds { get; set; } = 15;

    /// <summary>The first wait after a failed request; each further failure doubles it (with jitter) up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    [Range(10, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 1_000;

    [Range(1, 3_600)]
    public int MaxRetryDelaySeconds { get; set; } = 300;

    /// <summary>How often an idle sender looks for new items.</summary>
    [Range(50, 60_000)]
    public int PollMilliseconds { get; set; } = 1_000;

    /// <summary>The console alerts when items wait longer than this with no delivery meanwhile (the relay stopped draining).</summary>
    [Range(1, 24 * 60)]
    public int StalledAfterMinutes { get; set; } = 10;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Endpoint);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsEnabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            yield return new ValidationResult(
                "ProvincialRelay:Endpoint must be an absolute https:// address (http:// only to a loopback address)", [nameof(Endpoint)]);
        }

        if (SharedSecret is not { Length: >= 32 })
        {
            yield return new ValidationResult(
                "ProvincialRelay:SharedSecret must be set (at least 32 characters) when an endpoint is", [nameof(SharedSecret)]);
        }
    }
}

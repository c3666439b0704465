using Microsoft.Extensions.Options;

namespace ServiceHall.Server.Grpc;

/// <summary>Section "ClientErrors": how many lines about callers' mistakes the log takes per minute.</summary>
public sealed class ClientErrorLogOptions
{
    public const string Section = "ClientErrors";

    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int LinesPerMinute { get; set; } = 20;
}

/// <summary>
/// Logs what callers got wrong (an undecodable message, a refused input) as one line without a stack trace, at most
/// <see cref="ClientErrorLogOptions.LinesPerMinute"/> lines a minute: a client error is the caller's to fix, and a
/// caller sending thousands of them, anonymous or not, must not fill the disk. The first line after a quiet spell says
/// how many were left out.
/// </summary>
public sealed class ClientErrorLog(TimeProvider time, IOptions<ClientErrorLogOptions> options, ILogger<ClientErrorLog> logger)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _written;
    private long _suppressed;

    public void Refused(string method, string code, string reason)
    {
        long leftOut;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now - _windowStart >= TimeSpan.FromMinutes(1))
            {
                _windowStart = now;
                _written = 0;
            }

            if (_written >= options.Value.LinesPerMinute)
            {
                _suppressed++;
                return;
            }

            _written++;
            leftOut = _suppressed;
            _suppressed = 0;
        }

        // The reason is the server's own text, and the method a routed path: nothing here echoes what a caller sent.
        logger.LogInformation(
            "Call to {Method} refused with {Code}: {Reason} ({LeftOut} similar lines left out before this one)",
            method, code, reason, leftOut);
    }
}

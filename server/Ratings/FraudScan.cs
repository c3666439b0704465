using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Instances;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Ratings;

/// <summary>
/// Runs the anti-fraud detectors over newly stored ratings, on a timer rather than at intake (docs/rules/ratings.md#anti-fraud):
/// the intake's write path, which must take bursts of tens of thousands of ratings a second, gains no query, and a flag
/// waits for a person anyway, so a minute's delay costs nothing. Of several instances only the leading one scans.
/// </summary>
public sealed class FraudScan(
    IRatingReviewStore store, IKioskStore devices, ContactProtector contacts, IDataProtectionProvider protection, TimeProvider time,
    IOptions<FraudThresholds> thresholds, ILogger<FraudScan> logger)
{
    /// <summary>
    /// Ratings younger than this are left for the next scan: a rating received earlier may still be committing in the
    /// same group as a later one, and the cursor must never pass a rating not yet visible.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMinutes(1);

    private const int PageSize = 1_000;

    // Pages per scan at most; the rest wait for the next scan.
    private const int MaxPages = 20;

    private readonly IDataProtector _secretProtector = protection.CreateProtector("ServiceHall.PhoneKeySecret.v1");

    /// <summary>Scans what arrived since the last scan (up to <see cref="Settle"/> ago); returns the flags raised.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken)
    {
        var t = thresholds.Value;
        var upTo = time.GetUtcNow() - Settle;
        var (afterMs, afterId, secretProtected) = await store.ReadScanStateAsync(cancellationToken);
        var secret = await SecretAsync(secretProtected, cancellationToken);
        var padWindows = (await devices.ListKiosksAsync(cancellationToken))
            .Where(k => k is { Kind: DeviceKind.WindowPad, IsRevoked: false, WindowCode: not null })
            .Select(k => (k.HallCode, k.WindowCode!))
            .ToHashSet();
        var raised = 0;
        for (var page = 0; page < MaxPages; page++)
        {
            var batch = await store.ListToScanAsync(afterMs, afterId, upTo, PageSize, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var ratings = batch.Select(b => b.Rating with
            {
                TextKey = FraudDetectors.TextKey(b.Text, t.TextMinLetters),
                PhoneKey = b.PhoneProtected is null ? null : FraudDetectors.PhoneKey(contacts.Unprotect(b.PhoneProtected), secret),
            }).ToList();
            await store.AddKeysAsync(ratings, cancellationToken);
            var flags = new List<(Guid, FraudFlag)>();
            foreach (var r in ratings)
            {
                var hasPad = r.WindowCode is not null && padWindows.Contains((r.HallCode, r.WindowCode));
                var seen = await store.CountNeighboursAsync(r, t, hasPad, cancellationToken);
                flags.AddRange(FraudDetectors.Detect(r, seen, t).Select(f => (r.RatingId, f)));
            }

            var last = batch[^1];
            afterMs = last.ReceivedAt.ToUnixTimeMilliseconds();
            afterId = last.Rating.RatingId.ToString();
            await store.AddFlagsAsync(flags, time.GetUtcNow(), afterMs, afterId, cancellationToken);
            raised += flags.Count;
        }

        if (raised > 0)
        {
            // Counts only: a flag's detail stays in the review queue.
            logger.LogInformation("Fraud scan: {Flags} flags raised for review", raised);
        }

        return raised;
    }

    // The phone-key secret is the district's own, made once and kept protected by the same key ring as the contacts.
    private async Task<byte[]> SecretAsync(string secretProtected, CancellationToken cancellationToken)
    {
        if (secretProtected.Length == 0)
        {
            secretProtected = await store.KeepSecretAsync(_secretProtector.Protect(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), cancellationToken);
        }

        return Convert.FromBase64String(_secretProtector.Unprotect(secretProtected));
    }
}

/// <summary>The timer of <see cref="FraudScan"/>, on the leading instance.</summary>
public sealed class FraudScanJob(FraudScan scan, IJobLeadership leadership, TimeProvider time, IOptions<FraudThresholds> thresholds, ILogger<FraudScanJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(thresholds.Value.ScanSeconds), time);
        do
        {
            await leadership.WaitUntilLeaderAsync(stoppingToken);
            try
            {
                await scan.ScanAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next scan starts where this one stopped; a store outage must not end the job.
                logger.LogError(e, "Fraud scan failed; retrying at the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

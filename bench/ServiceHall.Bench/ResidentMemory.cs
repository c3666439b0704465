using System.Globalization;

namespace ServiceHall.Bench;

/// <summary>Resident memory of a process over one stage, in bytes: at its start, at its end, and the highest sample between.</summary>
internal sealed record MemoryUse(long? Start, long? End, long? Peak);

/// <summary>Samples a process's VmRSS (/proc/&lt;pid&gt;/status) every 100 ms while a stage runs.</summary>
internal sealed class ResidentMemoryWatch
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(100);

    private readonly int _pid;
    private readonly long? _start;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peak;

    private ResidentMemoryWatch(int pid)
    {
        _pid = pid;
        _start = Read(pid);
        _peak = _start ?? 0;
        _sampling = SampleAsync();
    }

    public static ResidentMemoryWatch Start(int pid) => new(pid);

    public async Task<MemoryUse> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
        var end = Read(_pid);
        var peak = Math.Max(_peak, end ?? 0);
        return new MemoryUse(_start, end, peak == 0 ? null : peak);
    }

    /// <summary>VmRSS in bytes, or null once the process is gone.</summary>
    public static long? Read(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    // "VmRSS:	  123456 kB"
                    var kilobytes = line["VmRSS:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process has exited.
        }

        return null;
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(SampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                _peak = Math.Max(_peak, Read(_pid) ?? 0);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}

using System.Globalization;

namespace ServiceHall.Bench;

/// <summary>
/// CPU time (user + system) that processes used, from /proc/&lt;pid&gt;/stat: where the machine's cores went during a run —
/// the bench's own callers, the server, and PostgreSQL's backends.
/// </summary>
internal static class CpuTime
{
    // Linux reports utime and stime in clock ticks of 1/100 s (USER_HZ).
    private const double TicksPerSecond = 100;

    /// <summary>CPU seconds used so far by the process, or null if it is gone.</summary>
    public static double? Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>CPU seconds used so far by every running PostgreSQL process (its backends come and go; those that ended are not counted).</summary>
    public static double OfPostgres()
    {
        var total = 0.0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && ReadComm(pid) == "postgres")
            {
                total += Of(pid) ?? 0;
            }
        }

        return total;
    }

    private static string? ReadComm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>CPU seconds used during one run by the server (or echo) process, the bench itself and PostgreSQL.</summary>
internal sealed record CpuSeconds(double Server, double Bench, double? Postgres);

/// <summary>Reads the processes' CPU time at the start of a run and again at its end.</summary>
internal sealed class CpuUse
{
    private readonly int _serverPid;
    private readonly bool _postgres;
    private readonly double _server;
    private readonly double _bench;
    private readonly double _postgresStart;

    private CpuUse(int serverPid, bool postgres)
    {
        _serverPid = serverPid;
        _postgres = postgres;
        _server = CpuTime.Of(serverPid) ?? 0;
        _bench = CpuTime.Of(Environment.ProcessId) ?? 0;
        _postgresStart = postgres ? CpuTime.OfPostgres() : 0;
    }

    public static CpuUse Start(int serverPid, bool postgres) => new(serverPid, postgres);

    public CpuSeconds Stop() => new(
        (CpuTime.Of(_serverPid) ?? _server) - _server,
        (CpuTime.Of(Environment.ProcessId) ?? _bench) - _bench,
        _postgres ? CpuTime.OfPostgres() - _postgresStart : null);
}

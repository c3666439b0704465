
namespace ServiceHall.Dashboard.Services;

/// <summary>The dashboard's waits between attempts to reach the server, unless the "Reconnect" section says otherwise.</summary>
internal static class DashboardReconnect
{
    /// <summary>
    /// People watch the hall screen and the console, so they try again sooner than a kiosk's outbox: at most 15 s.
    /// </summary>
    public static ReconnectOptions Defaults { get; } = new() { MaxDelay = TimeSpan.FromSeconds(15) };
}

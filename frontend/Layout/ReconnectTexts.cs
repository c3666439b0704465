namespace ServiceHall.Frontend;

/// <summary>What the reconnect dialog says, in the app's language. A line break in a text becomes a <c>&lt;br&gt;</c>.</summary>
/// <param name="Reconnecting">While the first attempts run.</param>
/// <param name="RetryingIn">
/// After a failed attempt, with <c>{0}</c> where the seconds to the next one go; null to keep saying
/// <paramref name="Reconnecting"/> without a countdown.
/// </param>
/// <param name="Failed">When the attempts gave up.</param>
/// <param name="Retry">The retry button.</param>
/// <param name="Paused">When the server paused the page's session.</param>
/// <param name="ResumeFailed">When the session could not be resumed.</param>
/// <param name="Resume">The resume button.</param>
public sealed record ReconnectTexts(
    string Reconnecting,
    string? RetryingIn,
    string Failed,
    string Retry,
    string Paused,
    string ResumeFailed,
    string Resume);

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>
/// Who is signed in to the console in this circuit (one browser tab). Scoped: the Blazor Server circuit is the session.
/// The credentials are also kept, encrypted, in the tab's session storage so a reload stays signed in; closing the tab
/// ends the session, and the token stops working at <see cref="ConsoleCredentials.ExpiresAt"/> anyway.
/// </summary>
public sealed class ConsoleSession(IConsoleSessionStore store, TimeProvider time, ILogger<ConsoleSession> logger)
{
    private readonly Lock _gate = new();
    private readonly List<Action> _subscribers = [];
    private ConsoleCredentials? _credentials;
    private bool _restored;

    /// <summary>False until the stored credentials were looked for (that needs the browser, so not while prerendering).</summary>
    public bool IsRestored => _restored;

    /// <summary>The credentials if signed in and not yet expired.</summary>
    public ConsoleCredentials? Credentials
    {
        get
        {
            var credentials = _credentials;
            return credentials is not null && credentials.ExpiresAt > time.GetUtcNow() ? credentials : null;
        }
    }

    public bool IsSignedIn => Credentials is not null;

    public ConsoleAccount? Account => Credentials?.Account;

    /// <summary>Why the last session ended without the user signing out, e.g. an expired token; shown on the sign-in page.</summary>
    public string? EndedBecause { get; private set; }

    /// <summary>Calls <paramref name="onChange"/> after sign-in and sign-out. Dispose the result to stop.</summary>
    public IDisposable Subscribe(Action onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        lock (_gate)
        {
            _subscribers.Add(onChange);
        }

        return new Subscription(this, onChange);
    }

    /// <summary>Loads the credentials kept in the tab once per circuit. Call after the first render (it needs JS interop).</summary>
    public async Task RestoreAsync()
    {
        if (_restored)
        {
            return;
        }

        try
        {
            var stored = await store.LoadAsync();
            if (_credentials is null && stored is not null && stored.ExpiresAt > time.GetUtcNow())
            {
                _credentials = stored;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unreadable (keys rotated, storage blocked): the user simply signs in again.
            logger.LogWarning(ex, "Stored console session could not be read; signing in again is needed");
        }

        _restored = true;
        Notify();
    }

    public async Task SignInAsync(ConsoleCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials = credentials;
        _restored = true;
        EndedBecause = null;
        await SaveQuietlyAsync(credentials);
        Notify();
    }

    /// <summary>Ends the session; <paramref name="reason"/> (e.g. "登录已过期，请重新登录") is shown on the sign-in page.</summary>
    public async Task SignOutAsync(string? reason = null)
    {
        var wasSignedIn = _credentials is not null;
        _credentials = null;
        _restored = true;
        EndedBecause = reason;
        await SaveQuietlyAsync(null);
        if (wasSignedIn)
        {
            Notify();
        }
    }

    private async Task SaveQuietlyAsync(ConsoleCredentials? credentials)
    {
        try
        {
            if (credentials is null)
            {
                await store.DeleteAsync();
            }
            else
            {
                await store.SaveAsync(credentials);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The circuit still holds the session; only surviving a reload is lost.
            logger.LogWarning(ex, "Console session could not be written to the browser's session storage");
        }
    }

    private void Notify()
    {
        Action[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber();
        }
    }

    private sealed class Subscription(ConsoleSession session, Action onChange) : IDisposable
    {
        public void Dispose()
        {
            lock (session._gate)
            {
                session._subscribers.Remove(onChange);
            }
        }
    }
}

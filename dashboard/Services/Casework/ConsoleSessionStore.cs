using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>Where a tab keeps its console credentials between reloads: the browser, a real seam (tests use memory).</summary>
public interface IConsoleSessionStore
{
    ValueTask<ConsoleCredentials?> LoadAsync();

    ValueTask SaveAsync(ConsoleCredentials credentials);

    ValueTask DeleteAsync();
}

/// <summary>
/// The tab's <c>sessionStorage</c>, encrypted with ASP.NET Core data protection: it survives a reload, not closing the
/// tab, and is not sent with requests (no cookie). A token that cannot be decrypted (keys changed) reads as signed out.
/// </summary>
public sealed class BrowserConsoleSessionStore(ProtectedSessionStorage storage) : IConsoleSessionStore
{
    private const string Key = "servicehall.console";

    public async ValueTask<ConsoleCredentials?> LoadAsync()
    {
        var result = await storage.GetAsync<ConsoleCredentials>(Key);
        return result.Success ? result.Value : null;
    }

    public ValueTask SaveAsync(ConsoleCredentials credentials) => storage.SetAsync(Key, credentials);

    public ValueTask DeleteAsync() => storage.DeleteAsync(Key);
}

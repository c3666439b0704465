using Microsoft.JSInterop;

namespace ServiceHall.Kiosk.Accessibility;

/// <summary>
/// The kiosk's voice (wwwroot/js/speech.js on the browser's speech synthesis): spoken prompts in the rating flow,
/// which the citizen may turn off, and the read-aloud button, which always speaks. Every prompt spoken is also shown
/// on screen: callers pass the same resource strings the page displays. Speech is a help, never a dependency: a
/// browser without voices, a lost circuit or prerendering make these calls do nothing.
/// </summary>
public sealed class KioskVoice(IJSRuntime js, KioskSessionPreferences preferences, ILogger<KioskVoice> logger) : IAsyncDisposable
{
    private Task<IJSObjectReference>? _module;

    /// <summary>Speaks a prompt of the rating flow, unless the citizen turned voice prompts off.</summary>
    public Task PromptAsync(string text) =>
        preferences.VoicePrompts ? CallAsync("speak", text, preferences.LanguageTag) : Task.CompletedTask;

    /// <summary>Reads the current screen aloud (the elements the page marked with data-speak).</summary>
    public Task ReadScreenAsync() => CallAsync("readScreen", preferences.LanguageTag);

    /// <summary>Stops whatever is being said.</summary>
    public Task StopAsync() => CallAsync("stop");

    private async Task CallAsync(string function, params object?[] args)
    {
        try
        {
            _module ??= js.InvokeAsync<IJSObjectReference>("import", "./js/speech.js").AsTask();
            var module = await _module;
            await module.InvokeVoidAsync(function, args);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException
                                       or TaskCanceledException)
        {
            // InvalidOperationException: prerendering, no browser yet. A failed import is retried next time.
            if (ex is JSException)
            {
                _module = null;
            }
            logger.LogDebug(ex, "Speech call {Function} did not run", function);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is { IsCompletedSuccessfully: true } module)
        {
            try
            {
                await module.Result.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the module with it.
            }
        }
    }
}

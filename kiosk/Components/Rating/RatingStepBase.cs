using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using ServiceHall.Kiosk.Components.Shared;
using ServiceHall.Kiosk.Rating;

namespace ServiceHall.Kiosk.Components.Rating;

/// <summary>
/// One step of the rating flow on screen: it shows and changes the circuit's <see cref="RatingSession"/>, and its
/// heading takes the focus when the step replaces the one before (the rate page asks, see <see cref="FocusHeadingAsync"/>).
/// </summary>
public abstract class RatingStepBase : KioskComponent
{
    [Inject]
    protected RatingSession Session { get; set; } = default!;

    /// <summary>The step's h1.</summary>
    protected ElementReference Heading { get; set; }

    /// <summary>
    /// Puts focus on the heading, so a keyboard or screen-reader user goes on from there rather than from the top of the
    /// page (the button that was pressed went away with the step before).
    /// </summary>
    public async Task FocusHeadingAsync()
    {
        if (Heading.Id is null)
        {
            return;
        }
        try
        {
            await Heading.FocusAsync();
        }
        catch (JSException)
        {
            // The heading went away with a newer render; nothing to focus.
        }
    }
}

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>A citizen applying for government information (依申请公开) on the kiosk's screen, as the tests do it.</summary>
public static class KioskDisclosureScreen
{
    /// <summary>A valid 居民身份证 number (GB 11643 check character X).</summary>
    public const string IdCard = "11010519491231002X";

    /// <summary>
    /// From the kiosk's home screen: 政务公开专区, a natural person's application for <paramref name="description"/> on paper,
    /// collected at the hall; returns once the receipt shows (confirmed or kept in the outbox).
    /// </summary>
    public static async Task ApplyAsync(IPage page, string name, string description)
    {
        // The screen is live before anything is tapped: a tap on the prerendered page may be lost.
        await Expect(page.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await page.GetByTestId("start-disclosure").ClickAsync();
        await Expect(page.GetByTestId("disclosure-next")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await page.GetByTestId("applicant_kind-NaturalPerson").ClickAsync();
        await FillAsync(page, "applicant_name", name);
        await FillAsync(page, "id_document_number", IdCard);
        await FillAsync(page, "phone", "13812341234");
        await page.GetByTestId("disclosure-next").ClickAsync();
        await FillAsync(page, "information_description", description);
        await page.GetByTestId("disclosure-next").ClickAsync();
        await page.GetByTestId("form-Paper").ClickAsync();
        await page.GetByTestId("delivery-Collect").ClickAsync();
        await page.GetByTestId("disclosure-submit").ClickAsync();
        await Expect(page.GetByTestId("disclosure-receipt")).ToBeVisibleAsync(new() { Timeout = 15_000 });
    }

    /// <summary>Types into a field (the on-screen keyboard opens), then leaves it (the keyboard steps aside).</summary>
    public static async Task FillAsync(IPage page, string field, string value)
    {
        var input = page.GetByTestId($"input-{field}");
        await input.FillAsync(value);
        await input.BlurAsync();
        await Expect(page.GetByTestId("keyboard")).ToBeHiddenAsync();
    }
}

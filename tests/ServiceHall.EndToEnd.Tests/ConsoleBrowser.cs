using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>The staff console as a member of staff drives it: signing in, and filling a step's form on a case page.</summary>
internal static class ConsoleBrowser
{
    /// <summary>The office screen the console is laid out for first.</summary>
    public static readonly ViewportSize Desktop = new() { Width = 1440, Height = 900 };

    private static readonly LocatorAssertionsToBeVisibleOptions Live = new() { Timeout = 15_000 };

    /// <summary>A console page in a browser context of its own, signed in as the given fixture account through the sign-in page.</summary>
    public static async Task<IPage> SignInAsync(ServiceHallSystem system, string user, ViewportSize? size = null)
    {
        var context = await system.Browser.NewContextAsync(new() { ViewportSize = size ?? Desktop, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(system.Dashboard, "console/sign-in").ToString());
        // Enabled once the circuit is live: a form filled on the prerendered page would be lost.
        await Expect(page.GetByTestId("sign-in-submit")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await page.GetByTestId("sign-in-user").FillAsync(user);
        await page.GetByTestId("sign-in-password").FillAsync(ServiceHallSystem.StaffPassword);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page.GetByTestId("user-name")).ToBeVisibleAsync(Live);
        return page;
    }

    /// <summary>
    /// Fills a step's form from the server's step catalog (inputs by name; a choice by its value, a date as yyyy-MM-dd) and
    /// submits it; the page then says it was done.
    /// </summary>
    public static async Task ActAsync(IPage page, string step, params (string Name, string Value)[] inputs)
    {
        var details = await OpenStepAsync(page, step);
        var form = page.Locator($"form[data-testid='action-{step}']");
        foreach (var (name, value) in inputs)
        {
            var radio = form.Locator($"input[type=radio][name='act-{step}-{name}'][value='{value}']");
            if (await radio.CountAsync() > 0)
            {
                await radio.CheckAsync();
            }
            else if (await form.Locator($"select#act-{step}-{name}").CountAsync() > 0)
            {
                await form.Locator($"#act-{step}-{name}").SelectOptionAsync(value);
            }
            else
            {
                await form.Locator($"#act-{step}-{name}").FillAsync(value);
            }
        }

        var label = (await details.Locator("summary").TextContentAsync())!.Trim();
        await page.GetByTestId($"act-{step}").ClickAsync();
        await Expect(page.GetByTestId("act-done")).ToContainTextAsync($"已提交：{label}", new() { Timeout = 15_000 });
    }

    /// <summary>Fills a 差评 case step's text fields in order and submits it; the case's timeline then has one entry more.</summary>
    public static async Task ActWithTextsAsync(IPage page, string step, params string[] texts)
    {
        await OpenStepAsync(page, step);
        var fields = page.Locator($"form[data-testid='action-{step}'] textarea");
        for (var i = 0; i < texts.Length; i++)
        {
            await fields.Nth(i).FillAsync(texts[i]);
        }

        var entries = page.GetByTestId("timeline").Locator(":scope > li");
        var before = await entries.CountAsync();
        await page.GetByTestId($"act-{step}").ClickAsync();
        await Expect(entries).ToHaveCountAsync(before + 1, new() { Timeout = 15_000 });
    }

    private static async Task<ILocator> OpenStepAsync(IPage page, string step)
    {
        var details = page.Locator($"details:has(form[data-testid='action-{step}'])");
        await Expect(details).ToBeVisibleAsync(Live);
        if (await details.GetAttributeAsync("open") is null)
        {
            await details.Locator("summary").ClickAsync();
        }

        return details;
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ServiceHall.Frontend;

/// <summary>How both front ends host their Blazor components: interactive server rendering, one request pipeline.</summary>
public static class FrontendHosting
{
    /// <summary>Razor components with interactive server rendering (one circuit per browser tab).</summary>
    public static IServiceCollection AddFrontendComponents(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        // SecurityHeaders sends X-Frame-Options: DENY on every response; antiforgery would add a second, weaker one.
        services.AddAntiforgery(options => options.SuppressXFrameOptionsHeader = true);
        return services;
    }

    /// <summary>
    /// The pipeline both front ends run: the security headers on every response, the error page outside Development, the not-found page, antiforgery, static
    /// assets and the components of <typeparamref name="TApp"/>. Served on plain http inside the hall network or behind
    /// a reverse proxy: no HTTPS redirection or HSTS here.
    /// </summary>
    public static WebApplication MapFrontend<TApp>(this WebApplication app, string contentSecurityPolicy = SecurityHeaders.ContentSecurityPolicy)
    {
        app.UseSecurityHeaders(contentSecurityPolicy);
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();

        app.MapStaticAssets();
        // The policy's frame-ancestors 'none' (SecurityHeaders) replaces the 'self' Blazor would send in a header of its own.
        app.MapRazorComponents<TApp>()
            .AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}

using Microsoft.AspNetCore.Builder;

namespace ServiceHall.Frontend;

/// <summary>
/// The response headers both front ends send with every page and file (docs/deployment.md#security-headers): a content
/// security policy that lets a page load and run only what its own app serves and never be framed by another site,
/// no MIME sniffing, and no address sent on to other sites.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts, styles, fonts and the Blazor connection come from the app itself. Inline style attributes are allowed:
    /// components set sizes and colours with them (no script can be inlined). Images may be data: URIs (charts).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        + "connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The policy for pages with charts: the chart library (Vizor.ECharts) turns the chart options it is given into
    /// objects with <c>eval</c>, so such pages also allow 'unsafe-eval'. Scripts still come only from the app itself.
    /// </summary>
    public static readonly string ContentSecurityPolicyWithCharts =
        ContentSecurityPolicy.Replace("script-src 'self'", "script-src 'self' 'unsafe-eval'", StringComparison.Ordinal);

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string contentSecurityPolicy) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        return next(context);
    });
}

using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RedisPriorityTransport.Dashboard.Rendering;
using RedisPriorityTransport.Dashboard.Security;

namespace RedisPriorityTransport.Dashboard.Endpoints;

/// <summary>
/// Wraps every page and action: security headers, authentication, the user's role, and for a POST the role check
/// (before anything is read or changed), the antiforgery token, and the mapping of admin API failures to status codes.
/// </summary>
internal sealed class DashboardHandlers(string mountPath, Func<IServiceProvider, IPriorityQueueAdmin> admin)
{
    /// <summary>No inline script or style anywhere, so none is allowed.</summary>
    const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public RequestDelegate Page(Func<DashboardRequest, CancellationToken, Task<string>> render) => async http =>
    {
        var request = await BeginAsync(http);
        if (request is null)
            return;
        try
        {
            await WriteHtml(http, StatusCodes.Status200OK, await render(request, http.RequestAborted));
        }
        catch (DashboardForbiddenException exception)
        {
            await Forbid(http, request, exception.Message);
        }
        catch (Exception exception) when (Describe(exception) is { } failure)
        {
            await WriteHtml(http, failure.Status, Layout.Error(request, failure.Title, exception.Message));
        }
    };

    /// <summary>
    /// A POST: <paramref name="permission"/> is checked before the form is read, and <paramref name="authorize"/> (a check
    /// that depends on the form, such as the level asked for) before the antiforgery token, so a refusal is always 403.
    /// </summary>
    public RequestDelegate Action(DashboardPermission permission, Func<DashboardRequest, IFormCollection, Task<string>> act,
        Action<DashboardRequest, IFormCollection>? authorize = null) => async http =>
    {
        var request = await BeginAsync(http);
        if (request is null)
            return;
        if (!request.User.May(permission))
        {
            await Forbid(http, request, $"Your role ({Layout.Role(request.User.Role)}) may not do this; it needs {Layout.Role(RoleMatrix.Minimum(permission))}. Nothing was changed.");
            return;
        }

        try
        {
            if (authorize is not null)
                authorize(request, await http.Request.ReadFormAsync(http.RequestAborted));
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
        }
        catch (DashboardForbiddenException exception)
        {
            await Forbid(http, request, exception.Message);
            return;
        }
        catch (AntiforgeryValidationException)
        {
            await WriteHtml(http, StatusCodes.Status400BadRequest,
                Layout.Error(request, "Form expired", "The form's antiforgery token is missing or invalid. Reload the page and try again. Nothing was changed."));
            return;
        }

        try
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var target = await act(request, form);
            http.Response.StatusCode = StatusCodes.Status303SeeOther;
            http.Response.Headers.Location = target;
        }
        catch (DashboardForbiddenException exception)
        {
            await Forbid(http, request, exception.Message);
        }
        catch (Exception exception) when (Describe(exception) is { } failure)
        {
            var back = http.Request.Headers.Referer.ToString();
            await WriteHtml(http, failure.Status, Layout.Error(request, failure.Title, exception.Message,
                Uri.TryCreate(back, UriKind.Absolute, out var uri) && uri.Authority == http.Request.Host.Value ? uri.PathAndQuery : null));
        }
    };

    /// <summary>Null when the response is already written (not signed in, or no dashboard role).</summary>
    async Task<DashboardRequest?> BeginAsync(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-store";

        if (http.User.Identity?.IsAuthenticated != true)
        {
            var schemes = http.RequestServices.GetService<IAuthenticationSchemeProvider>();
            if (schemes is not null && await schemes.GetDefaultChallengeSchemeAsync() is not null)
                await http.ChallengeAsync();
            else
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return null;
        }

        var options = http.RequestServices.GetRequiredService<IOptions<DashboardOptions>>().Value;
        var user = await http.RequestServices.GetRequiredService<DashboardUserResolver>().ResolveAsync(http.User);
        var request = new DashboardRequest(http, user, mountPath, options, admin);
        if (user.Role == DashboardRole.None)
        {
            await Forbid(http, request, $"You are signed in as '{user.Name}' but have no dashboard role. Ask an admin for one.");
            return null;
        }

        return request;
    }

    static Task Forbid(HttpContext http, DashboardRequest request, string message) =>
        WriteHtml(http, StatusCodes.Status403Forbidden, Layout.Error(request, "Not allowed", message));

    static async Task WriteHtml(HttpContext http, int status, string html)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(html, http.RequestAborted);
    }

    static (int Status, string Title)? Describe(Exception exception) => exception switch
    {
        QueueNotFoundException => (StatusCodes.Status404NotFound, "No such queue"),
        MessageNotFoundException { ActualState: null } => (StatusCodes.Status404NotFound, "No such message"),
        MessageNotFoundException => (StatusCodes.Status409Conflict, "Message has moved on"),
        ArgumentException => (StatusCodes.Status400BadRequest, "Not accepted"),
        _ => null,
    };

    public static string? RouteValue(HttpContext http, string name) => http.GetRouteValue(name)?.ToString();
}

using RedisPriorityTransport.Dashboard.Endpoints;
using RedisPriorityTransport.Dashboard.Security;

namespace RedisPriorityTransport.Dashboard.Rendering;

/// <summary>The frame around every page: header with navigation and the signed-in user, then the page's content.</summary>
internal static class Layout
{
    public static string Page(DashboardRequest request, string title, HtmlString content, string active = "overview", HtmlString breadcrumbs = default)
    {
        var html = new Html();
        var o = request.Options;
        var assetVersion = Assets.Version;
        html.Add($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="same-origin">
            <link rel="icon" href="data:,">
            <title>{title} · {o.Title}</title>
            <link rel="stylesheet" href="{request.Url("/assets/dashboard.css")}?v={assetVersion}">
            <script src="{request.Url("/assets/dashboard.js")}?v={assetVersion}" defer></script>
            </head>
            <body>
            <header class="top">
            <a class="brand" href="{request.Url()}"><span class="logo" aria-hidden="true"></span>{o.Title}</a>
            <nav class="nav">
            <a href="{request.Url()}" class="{(active == "overview" ? "on" : "")}">Overview</a>
            """);
        if (request.User.May(DashboardPermission.ManageUsers))
            html.Add($"<a href=\"{request.Url("/users")}\" class=\"{(active == "users" ? "on" : "")}\">Users</a>");
        html.Add($"""
            </nav>
            <span class="who" data-testid="who">{request.User.Name} <span class="role role-{Role(request.User.Role)}">{Role(request.User.Role)}</span></span>
            </header>
            <main>
            """);
        if (breadcrumbs.Value is { Length: > 0 })
            html.Add($"<nav class=\"crumbs\" aria-label=\"Breadcrumb\">{breadcrumbs}</nav>");
        var notice = request.Query("notice");
        if (notice is not null && Notices.Text(notice) is { } text)
            html.Add($"<p class=\"notice\" role=\"status\">{text}</p>");
        html.Add(content);
        html.Add($"""
            </main>
            <footer class="foot">RedisPriorityTransport dashboard · <span data-refresh-status>{(o.RefreshSeconds > 0 ? $"counts refresh every {o.RefreshSeconds} s" : "live refresh off")}</span></footer>
            </body>
            </html>
            """);
        return html.ToString();
    }

    public static string Role(DashboardRole role) => role.ToString().ToLowerInvariant();

    /// <summary>An error page: what went wrong, in plain words, and a way back.</summary>
    public static string Error(DashboardRequest request, string title, string message, string? back = null)
    {
        var content = Html.Of($"""
            <section class="panel error-panel">
            <h1>{title}</h1>
            <p data-testid="error-message">{message}</p>
            <p><a class="button" href="{back ?? request.Url()}">Back</a></p>
            </section>
            """);
        return Page(request, title, content);
    }
}

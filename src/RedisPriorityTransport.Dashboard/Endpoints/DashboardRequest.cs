using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Dashboard.Rendering;
using RedisPriorityTransport.Dashboard.Security;

namespace RedisPriorityTransport.Dashboard.Endpoints;

/// <summary>One request to the dashboard: who asks, where the dashboard is mounted, and how to link and post back.</summary>
internal sealed class DashboardRequest(HttpContext http, DashboardUser user, string mountPath, DashboardOptions options,
    Func<IServiceProvider, IPriorityQueueAdmin> admin)
{
    string? _token;

    public HttpContext Http { get; } = http;

    public DashboardUser User { get; } = user;

    public DashboardOptions Options { get; } = options;

    /// <summary>The admin API of the bus this dashboard mount shows.</summary>
    public IPriorityQueueAdmin Admin => admin(Http.RequestServices);

    /// <summary>
    /// A path under the dashboard, starting from the request's path base, so links hold under <c>UsePathBase</c> and
    /// behind a proxy that sets the prefix.
    /// </summary>
    public string Url(string relative = "/") => Http.Request.PathBase.ToUriComponent() + mountPath + relative;

    public string QueueUrl(string queue, string tail = "") => Url("/queues/" + Uri.EscapeDataString(queue) + tail);

    public string MessageUrl(string queue, string messageId, string tail = "") =>
        QueueUrl(queue, "/messages/" + Uri.EscapeDataString(messageId) + tail);

    /// <summary>The hidden antiforgery field every form carries.</summary>
    public HtmlString AntiforgeryField()
    {
        if (_token is null)
        {
            var tokens = Http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(Http);
            _token = Html.Of($"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">").Value;
        }

        return new HtmlString(_token);
    }

    public string? Query(string name)
    {
        var value = Http.Request.Query[name].ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}

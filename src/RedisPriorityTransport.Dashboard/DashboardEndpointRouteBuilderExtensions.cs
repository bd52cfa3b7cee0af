using MassTransit;
using MassTransit.DependencyInjection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RedisPriorityTransport;
using RedisPriorityTransport.Dashboard;
using RedisPriorityTransport.Dashboard.Endpoints;
using RedisPriorityTransport.Dashboard.Pages;
using RedisPriorityTransport.Dashboard.Rendering;
using RedisPriorityTransport.Dashboard.Security;

// ReSharper disable once CheckNamespace
namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts the RedisPriorityTransport dashboard.</summary>
public static class DashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the dashboard's pages and actions under <paramref name="prefix"/> and returns their route group, so the host
    /// can chain <c>RequireAuthorization(...)</c> and other conventions. Links follow the request's path base, so the
    /// dashboard works under <c>UsePathBase</c> and behind a proxy. Unauthenticated requests are challenged; every action
    /// is checked against the user's role on the server. It shows the queues of the container's
    /// <see cref="IPriorityQueueAdmin"/>: the first Redis bus's.
    /// </summary>
    /// <param name="endpoints">The application's endpoint builder.</param>
    /// <param name="prefix">Where to mount it, for example <c>/priority</c>.</param>
    /// <exception cref="ArgumentException">The prefix does not start with '/' or contains a route parameter.</exception>
    /// <exception cref="InvalidOperationException">The dashboard's services or the Redis bus's admin API are not registered.</exception>
    public static RouteGroupBuilder MapRedisPriorityDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/priority") =>
        Map(endpoints, prefix, typeof(IPriorityQueueAdmin), "IPriorityQueueAdmin", static provider => provider.GetRequiredService<IPriorityQueueAdmin>());

    /// <summary>
    /// Maps a dashboard of the Redis bus <typeparamref name="TBus"/> (one added with <c>AddMassTransit&lt;TBus&gt;</c>,
    /// or <c>IRedisPriorityBus</c>) under <paramref name="prefix"/>: as <see cref="MapRedisPriorityDashboard(IEndpointRouteBuilder, string)"/>,
    /// through that bus's admin API (<c>Bind&lt;TBus, IPriorityQueueAdmin&gt;</c>). Each bus gets a prefix of its own;
    /// roles and users are shared.
    /// </summary>
    /// <typeparam name="TBus">The bus interface the Redis bus was added under.</typeparam>
    /// <param name="endpoints">The application's endpoint builder.</param>
    /// <param name="prefix">Where to mount it, for example <c>/priority/reports</c>.</param>
    /// <exception cref="ArgumentException">The prefix does not start with '/' or contains a route parameter.</exception>
    /// <exception cref="InvalidOperationException">The dashboard's services are not registered, or <typeparamref name="TBus"/> is not a Redis bus of the container.</exception>
    public static RouteGroupBuilder MapRedisPriorityDashboard<TBus>(this IEndpointRouteBuilder endpoints, string prefix = "/priority")
        where TBus : class, IBus =>
        Map(endpoints, prefix, typeof(Bind<TBus, IPriorityQueueAdmin>), $"Bind<{typeof(TBus).Name}, IPriorityQueueAdmin>",
            static provider => provider.GetRequiredService<Bind<TBus, IPriorityQueueAdmin>>().Value);

    static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string prefix, Type adminService, string adminName,
        Func<IServiceProvider, IPriorityQueueAdmin> admin)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (string.IsNullOrWhiteSpace(prefix) || !prefix.StartsWith('/'))
            throw new ArgumentException($"The dashboard's prefix must start with '/'; got '{prefix}'.", nameof(prefix));
        if (prefix.IndexOfAny(['{', '}', '?', '#', '*']) >= 0)
            throw new ArgumentException($"The dashboard's prefix must be a plain path without route parameters; got '{prefix}'.", nameof(prefix));
        var mountPath = prefix.TrimEnd('/');

        var services = endpoints.ServiceProvider;
        if (services.GetService<DashboardUserResolver>() is null)
            throw new InvalidOperationException("Call services.AddRedisPriorityDashboard() before MapRedisPriorityDashboard.");
        if (services.GetService<IServiceProviderIsService>() is { } isService && !isService.IsService(adminService))
            throw new InvalidOperationException(
                $"The dashboard acts through {adminName}, which is not registered: add the Redis bus (UsingRedis or AddRedisPriorityQueue).");
        services.GetRequiredService<IOptions<DashboardOptions>>().Value.Validate();

        var group = endpoints.MapGroup(mountPath);
        var handlers = new DashboardHandlers(mountPath, admin);
        // Per mount: two buses may have queues of the same name.
        var trends = new QueueTrends();

        group.MapGet("/assets/{name}", ServeAsset);
        group.MapGet("/", handlers.Page((r, ct) => OverviewPage.RenderAsync(r, trends, ct)));
        group.MapGet("/users", handlers.Page((r, _) =>
        {
            if (!r.User.May(DashboardPermission.ManageUsers))
                throw new DashboardForbiddenException("Only admins manage users.");
            return UsersPage.RenderAsync(r, r.Http.RequestServices.GetRequiredService<RoleAssignments>());
        }));
        group.MapGet("/queues/{queue}", handlers.Page((r, ct) => QueuePage.RenderAsync(r, Queue(r), ct)));
        group.MapGet("/queues/{queue}/history", handlers.Page((r, ct) => HistoryPage.RenderAsync(r, Queue(r), ct)));
        group.MapGet("/queues/{queue}/messages/{messageId}", handlers.Page((r, ct) => MessageDetailPage.RenderAsync(r, Queue(r), Message(r), ct)));

        group.MapPost("/queues/{queue}/messages/{messageId}/priority",
            handlers.Action(DashboardPermission.PrioritizeUpTo8, (r, f) => DashboardActions.ChangePriority(r, f, Queue(r), Message(r)), DashboardActions.AuthorizeLevel));
        group.MapPost("/queues/{queue}/messages/{messageId}/cancel",
            handlers.Action(DashboardPermission.Cancel, (r, f) => DashboardActions.Cancel(r, f, Queue(r), Message(r))));
        group.MapPost("/queues/{queue}/messages/{messageId}/retry",
            handlers.Action(DashboardPermission.Retry, (r, f) => DashboardActions.RetryOne(r, f, Queue(r), Message(r))));
        group.MapPost("/queues/{queue}/retry", handlers.Action(DashboardPermission.Retry, (r, f) => DashboardActions.Retry(r, f, Queue(r))));
        group.MapPost("/queues/{queue}/purge", handlers.Action(DashboardPermission.Purge, (r, f) => DashboardActions.Purge(r, f, Queue(r))));
        group.MapPost("/queues/{queue}/pause", handlers.Action(DashboardPermission.PauseResume, (r, f) => DashboardActions.Pause(r, f, Queue(r))));
        group.MapPost("/queues/{queue}/resume", handlers.Action(DashboardPermission.PauseResume, (r, f) => DashboardActions.Resume(r, f, Queue(r))));
        group.MapPost("/queues/{queue}/rate-limit", handlers.Action(DashboardPermission.RateLimit, (r, f) => DashboardActions.RateLimit(r, f, Queue(r))));
        group.MapPost("/users", handlers.Action(DashboardPermission.ManageUsers,
            (r, f) => DashboardActions.AssignRole(r, f, r.Http.RequestServices.GetRequiredService<RoleAssignments>())));
        group.MapPost("/users/remove", handlers.Action(DashboardPermission.ManageUsers,
            (r, f) => DashboardActions.RemoveRole(r, f, r.Http.RequestServices.GetRequiredService<RoleAssignments>())));
        return group;
    }

    static string Queue(DashboardRequest request) => DashboardHandlers.RouteValue(request.Http, "queue") ?? "";

    static string Message(DashboardRequest request) => DashboardHandlers.RouteValue(request.Http, "messageId") ?? "";

    static async Task ServeAsset(HttpContext http)
    {
        var name = DashboardHandlers.RouteValue(http, "name") ?? "";
        if (!Assets.TryGet(name, out var content, out var contentType))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        http.Response.ContentType = contentType;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        await http.Response.Body.WriteAsync(content, http.RequestAborted);
    }
}

using RedisPriorityTransport.Dashboard;
using RedisPriorityTransport.Dashboard.Pages;
using RedisPriorityTransport.Dashboard.Security;

// ReSharper disable once CheckNamespace
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the RedisPriorityTransport dashboard's services.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds what <c>MapRedisPriorityDashboard</c> needs (options, antiforgery, role assignments). The Redis bus must be
    /// registered too (<c>UsingRedis</c> or <c>AddRedisPriorityQueue</c>): the dashboard acts through its
    /// <see cref="RedisPriorityTransport.IPriorityQueueAdmin"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the options (role names, refresh, page size, where role assignments live).</param>
    public static IServiceCollection AddRedisPriorityDashboard(this IServiceCollection services, Action<DashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DashboardOptions>();
        if (configure is not null)
            options.Configure(configure);
        services.AddAntiforgery();
        services.AddSingleton<RoleAssignments>();
        services.AddSingleton<DashboardUserResolver>();
        return services;
    }
}

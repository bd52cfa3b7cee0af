using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RedisPriorityTransport;

// Registration extensions live in MassTransit's namespace, as the project's other registration extensions do.
// ReSharper disable once CheckNamespace
namespace MassTransit;

/// <summary>Adds the health checks of the Redis priority buses.</summary>
public static class RedisPriorityQueueHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds one health check per bus on the Redis priority transport (<c>UsingRedis</c> or <c>AddRedisPriorityQueue</c>),
    /// named <c>redis-priority-queue</c> (a second bus's check gets the bus's name appended) and tagged <c>ready</c>,
    /// <c>masstransit</c> and <c>redis</c>. It is Unhealthy when Redis does not answer PING within
    /// <see cref="RedisPriorityQueueHealthCheckOptions.PingTimeout"/>, Degraded when the oldest high-band message of a
    /// receive queue has waited longer than <see cref="RedisPriorityQueueHealthCheckOptions.HighBandMaxWait"/>, and
    /// Healthy otherwise. Options bind from the configuration section <c>RedisPriorityQueue:HealthCheck</c>, then
    /// <paramref name="configure"/> runs; they are validated when the host starts.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="configure">Adjusts the options after configuration binding.</param>
    /// <exception cref="InvalidOperationException">The checks were already added to this container.</exception>
    public static IHealthChecksBuilder AddRedisPriorityQueueHealthChecks(this IHealthChecksBuilder builder,
        Action<RedisPriorityQueueHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<RedisPriorityQueueHealthCheckOptions>)))
            throw new InvalidOperationException("AddRedisPriorityQueueHealthChecks may be called only once per container; it already adds a check for every Redis bus.");

        var options = services.AddOptions<RedisPriorityQueueHealthCheckOptions>()
            .BindConfigurationIfPresent(RedisPriorityQueueHealthCheckOptions.SectionName);
        if (configure is not null)
            options.Configure(configure);
        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisPriorityQueueHealthCheckOptions>, RedisPriorityQueueHealthCheckOptionsValidator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HealthCheckServiceOptions>, ConfigureRedisPriorityQueueHealthChecks>());
        return builder;
    }
}

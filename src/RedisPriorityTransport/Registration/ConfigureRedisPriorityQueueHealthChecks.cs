using MassTransit.Transports;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RedisPriorityTransport.Transport;

namespace RedisPriorityTransport;

/// <summary>Adds one health check registration for each bus of the container that runs on the Redis transport.</summary>
internal sealed class ConfigureRedisPriorityQueueHealthChecks(IEnumerable<IBusInstance> busInstances,
    IOptionsMonitor<RedisPriorityQueueHealthCheckOptions> options) : IConfigureOptions<HealthCheckServiceOptions>
{
    const string DefaultBusName = "masstransit-bus";

    public void Configure(HealthCheckServiceOptions healthCheckOptions)
    {
        var settings = options.CurrentValue;
        foreach (var busInstance in busInstances)
        {
            if (busInstance.HostConfiguration is not RedisHostConfiguration host)
                continue;
            // The application's bus keeps the plain name; a second bus (MultiBus) adds its own, as MassTransit names it.
            var name = busInstance.Name == DefaultBusName
                ? settings.Name
                : $"{settings.Name}-{(busInstance.Name.StartsWith("masstransit-", StringComparison.Ordinal) ? busInstance.Name["masstransit-".Length..] : busInstance.Name)}";
            healthCheckOptions.Registrations.Add(new HealthCheckRegistration(name, new RedisPriorityQueueHealthCheck(host, options),
                settings.FailureStatus, settings.Tags));
        }
    }
}

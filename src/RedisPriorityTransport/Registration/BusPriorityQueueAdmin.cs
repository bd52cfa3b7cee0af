using MassTransit;
using MassTransit.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RedisPriorityTransport.Transport;

namespace RedisPriorityTransport;

/// <summary>Creates the <see cref="IPriorityQueueAdmin"/> of a Redis bus registered with <c>UsingRedis</c>.</summary>
internal static class BusPriorityQueueAdmin
{
    public static IPriorityQueueAdmin Create(RedisRegistrationBusFactory factory, IServiceProvider provider)
    {
        var options = provider.GetService<IOptions<PriorityQueueAdminOptions>>()?.Value ?? new PriorityQueueAdminOptions();
        return new RedisPriorityQueueAdmin(async () =>
        {
            // The host settings (connection, key prefix) are the application's only once the bus was created; resolving
            // the bus instances creates it when the admin is used before the host started.
            if (!factory.BusCreated)
                _ = provider.GetServices<IBusInstance>().ToArray();
            if (!factory.BusCreated)
                throw new InvalidOperationException("The Redis bus of this container has not been created; the admin API needs its connection settings.");
            var host = factory.HostConfiguration;
            // Asked each time: a bus stopped and started again has a new connection.
            var connection = await host.Transport.GetConnectionAsync().ConfigureAwait(false);
            return new AdminTarget(connection, host.Settings.KeyPrefix, host.Settings.CreateQueueSettings().ReasonHeader);
        }, options);
    }
}

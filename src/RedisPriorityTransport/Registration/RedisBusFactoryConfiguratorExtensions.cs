using Microsoft.Extensions.DependencyInjection.Extensions;
using RedisPriorityTransport;
using RedisPriorityTransport.Transport;

// Registration extensions live in MassTransit's namespace, as those of every MassTransit transport do.
// ReSharper disable once CheckNamespace
namespace MassTransit;

/// <summary>Selects the Redis priority transport for a bus registered with <c>AddMassTransit</c>.</summary>
public static class RedisBusFactoryConfiguratorExtensions
{
    /// <summary>
    /// Uses the Redis priority transport for this bus (also inside <c>AddMassTransit&lt;TBus&gt;</c> and
    /// <c>AddMassTransitTestHarness</c>). Without <c>cfg.Host(...)</c> the bus uses an <c>IConnectionMultiplexer</c>
    /// registered in the container, else <c>localhost:6379</c>. Also registers <see cref="IPriorityQueueAdmin"/> for the
    /// bus's queues.
    /// </summary>
    /// <param name="configurator">The bus registration.</param>
    /// <param name="configure">Configures host, ranking and receive endpoints; call <c>cfg.ConfigureEndpoints(context)</c> here.</param>
    public static void UsingRedis(this IBusRegistrationConfigurator configurator,
        Action<IBusRegistrationContext, IRedisBusFactoryConfigurator>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        var factory = new RedisRegistrationBusFactory(configure);
        configurator.SetBusFactory(factory);
        // The admin API of this bus's queues (the first Redis bus of the container wins).
        configurator.TryAddSingleton<IPriorityQueueAdmin>(provider => BusPriorityQueueAdmin.Create(factory, provider));
    }
}

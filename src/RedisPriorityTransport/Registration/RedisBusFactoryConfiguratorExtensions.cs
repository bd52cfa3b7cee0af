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
    /// registered in the container, else <c>localhost:6379</c>. Also registers the <see cref="IPriorityQueueAdmin"/> of the
    /// bus's queues as MassTransit's <c>Bind&lt;TBus, IPriorityQueueAdmin&gt;</c> (<c>IBus</c> for the application's bus,
    /// <c>TBus</c> inside <c>AddMassTransit&lt;TBus&gt;</c>); the plain
    /// <see cref="IPriorityQueueAdmin"/> is the admin of the first Redis bus registered in the container.
    /// </summary>
    /// <param name="configurator">The bus registration.</param>
    /// <param name="configure">Configures host, ranking and receive endpoints; call <c>cfg.ConfigureEndpoints(context)</c> here.</param>
    public static void UsingRedis(this IBusRegistrationConfigurator configurator,
        Action<IBusRegistrationContext, IRedisBusFactoryConfigurator>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        var factory = new RedisRegistrationBusFactory(configure);
        configurator.SetBusFactory(factory);
        // The admin API of this bus's queues, bound to the bus; the plain one is the first Redis bus's.
        BusPriorityQueueAdmin.Register(configurator, factory);
    }
}

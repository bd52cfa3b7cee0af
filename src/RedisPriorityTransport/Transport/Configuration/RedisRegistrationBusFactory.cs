using MassTransit;
using MassTransit.Configuration;
using MassTransit.Topology;
using MassTransit.Transports;
using StackExchange.Redis;

namespace RedisPriorityTransport.Transport;

/// <summary>Creates the Redis bus from the container registration (<c>UsingRedis</c>).</summary>
internal sealed class RedisRegistrationBusFactory : TransportRegistrationBusFactory<IRedisReceiveEndpointConfigurator>
{
    readonly RedisBusConfiguration _busConfiguration;
    readonly Action<IBusRegistrationContext, IRedisBusFactoryConfigurator>? _configure;

    public RedisRegistrationBusFactory(Action<IBusRegistrationContext, IRedisBusFactoryConfigurator>? configure)
        : this(new RedisBusConfiguration(new RedisTopologyConfiguration(new MessageTopology(new MessageUrnEntityNameFormatter()))), configure)
    {
    }

    RedisRegistrationBusFactory(RedisBusConfiguration busConfiguration, Action<IBusRegistrationContext, IRedisBusFactoryConfigurator>? configure)
        : base(busConfiguration.HostConfiguration)
    {
        _busConfiguration = busConfiguration;
        _configure = configure;
    }

    /// <summary>The bus's host configuration: its connection and key prefix, which the admin API uses too.</summary>
    public RedisHostConfiguration HostConfiguration => _busConfiguration.HostConfiguration;

    /// <summary>True once <see cref="CreateBus"/> has run, so the host settings are the application's.</summary>
    public bool BusCreated { get; private set; }

    public override IBusInstance CreateBus(IBusRegistrationContext context, IEnumerable<IBusInstanceSpecification> specifications, string busName)
    {
        var configurator = new RedisBusFactoryConfigurator(_busConfiguration);
        // A connection registered in the container is used unless the application names a host.
        _busConfiguration.HostConfiguration.Settings.ConnectionFromServices =
            () => (IConnectionMultiplexer?)context.GetService(typeof(IConnectionMultiplexer));
        var bus = CreateBus(configurator, context, _configure, specifications);
        BusCreated = true;
        return bus;
    }
}

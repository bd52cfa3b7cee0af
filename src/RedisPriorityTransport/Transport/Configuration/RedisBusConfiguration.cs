using MassTransit;
using MassTransit.Configuration;
using MassTransit.Observables;

namespace RedisPriorityTransport.Transport;

/// <summary>Endpoint-level configuration (consume pipe, serialization, topology) of a Redis bus or receive endpoint.</summary>
internal class RedisEndpointConfiguration : EndpointConfiguration
{
    protected RedisEndpointConfiguration(RedisTopologyConfiguration topology)
        : base(topology)
    {
        RedisTopology = topology;
    }

    RedisEndpointConfiguration(IEndpointConfiguration parent, RedisTopologyConfiguration topology, bool isBusEndpoint)
        : base(parent, topology, isBusEndpoint)
    {
        RedisTopology = topology;
    }

    public RedisTopologyConfiguration RedisTopology { get; }

    public RedisEndpointConfiguration CreateEndpointConfiguration(bool isBusEndpoint = false) =>
        new(this, new RedisTopologyConfiguration(RedisTopology), isBusEndpoint);
}

/// <summary>The configuration of a whole Redis bus: its host, its own (temporary) endpoint and observers.</summary>
internal sealed class RedisBusConfiguration : RedisEndpointConfiguration, IBusConfiguration
{
    readonly BusObservable _busObservers = new();

    public RedisBusConfiguration(RedisTopologyConfiguration topology)
        : base(topology)
    {
        HostConfiguration = new RedisHostConfiguration(this, topology);
        BusEndpointConfiguration = CreateEndpointConfiguration(isBusEndpoint: true);
    }

    public RedisHostConfiguration HostConfiguration { get; }

    public RedisEndpointConfiguration BusEndpointConfiguration { get; }

    IHostConfiguration IBusConfiguration.HostConfiguration => HostConfiguration;

    IEndpointConfiguration IBusConfiguration.BusEndpointConfiguration => BusEndpointConfiguration;

    IBusObserver IBusConfiguration.BusObservers => _busObservers;

    public ConnectHandle ConnectBusObserver(IBusObserver observer) => _busObservers.Connect(observer);

    public ConnectHandle ConnectEndpointConfigurationObserver(IEndpointConfigurationObserver observer) =>
        HostConfiguration.ConnectEndpointConfigurationObserver(observer);
}

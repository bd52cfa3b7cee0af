using MassTransit;
using MassTransit.Configuration;
using MassTransit.Observables;

namespace RedisPriorityTransport.Transport;

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

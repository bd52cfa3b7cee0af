using MassTransit.Configuration;

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

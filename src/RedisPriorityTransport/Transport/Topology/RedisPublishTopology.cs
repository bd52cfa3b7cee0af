using MassTransit;
using MassTransit.Topology;

namespace RedisPriorityTransport.Transport;

/// <summary>Publish topology: every message type publishes to a topic named after its message URN.</summary>
internal sealed class RedisPublishTopology(IMessageTopology messageTopology) : PublishTopology
{
    protected override IMessagePublishTopologyConfigurator CreateMessageTopology<T>()
    {
        var topology = new RedisMessagePublishTopology<T>(this, messageTopology.GetMessageTopology<T>());
        OnMessageTopologyCreated(topology);
        return topology;
    }
}

using System.Diagnostics.CodeAnalysis;
using MassTransit;
using MassTransit.Topology;

namespace RedisPriorityTransport.Transport;

/// <summary>The publish address of one message type: <c>redis://host/&lt;topic&gt;?type=topic</c>.</summary>
internal sealed class RedisMessagePublishTopology<T>(IPublishTopology publishTopology, IMessageTopology<T> messageTopology)
    : MessagePublishTopology<T>(publishTopology)
    where T : class
{
    public override bool TryGetPublishAddress(Uri baseAddress, [NotNullWhen(true)] out Uri? publishAddress)
    {
        publishAddress = RedisEndpointAddress.ForTopic(baseAddress, messageTopology.EntityName);
        return true;
    }
}

using MassTransit;
using MassTransit.Configuration;
using MassTransit.Topology;

namespace RedisPriorityTransport.Transport;

/// <summary>The send, publish, consume and message topologies of a Redis bus.</summary>
internal sealed class RedisTopologyConfiguration : ITopologyConfiguration
{
    readonly RedisConsumeTopology _consume;

    public RedisTopologyConfiguration(IMessageTopologyConfigurator messageTopology)
    {
        Message = messageTopology;
        Send = new SendTopology();
        Send.ConnectSendTopologyConfigurationObserver(new DelegateSendTopologyConfigurationObserver(GlobalTopology.Send));
        Send.TryAddConvention(new RoutingKeySendTopologyConvention());
        Publish = new RedisPublishTopology(messageTopology);
        Publish.ConnectPublishTopologyConfigurationObserver(new DelegatePublishTopologyConfigurationObserver(GlobalTopology.Publish));
        Publish.ConnectPublishTopologyConfigurationObserver(new PublishToSendTopologyConfigurationObserver(Send));
        _consume = new RedisConsumeTopology();
    }

    /// <summary>An endpoint's topology: shares send and publish with the bus, has its own consume topology.</summary>
    public RedisTopologyConfiguration(RedisTopologyConfiguration parent)
    {
        Message = parent.Message;
        Send = parent.Send;
        Publish = parent.Publish;
        _consume = new RedisConsumeTopology();
    }

    public IMessageTopologyConfigurator Message { get; }

    public ISendTopologyConfigurator Send { get; }

    public IPublishTopologyConfigurator Publish { get; }

    public IConsumeTopologyConfigurator Consume => _consume;

    public IEnumerable<ValidationResult> Validate() => Send.Validate().Concat(Publish.Validate()).Concat(_consume.Validate());
}

using System.Diagnostics.CodeAnalysis;
using System.Text;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Topology;
using MassTransit.Transports;

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

/// <summary>Consume topology: queue names are limited to what a Redis priority queue accepts.</summary>
internal sealed class RedisConsumeTopology() : ConsumeTopology(QueueNames.MaxQueueNameLength)
{
    public override string CreateTemporaryQueueName(string tag)
    {
        // Host and process names may hold characters a queue name cannot; keep the readable part.
        var raw = base.CreateTemporaryQueueName(tag);
        var name = new StringBuilder(raw.Length);
        foreach (var c in raw)
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        return name.Length > QueueNames.MaxQueueNameLength ? name.ToString(0, QueueNames.MaxQueueNameLength) : name.ToString();
    }
}

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

/// <summary>The bus topology of a Redis bus.</summary>
internal sealed class RedisBusTopology(IHostConfiguration hostConfiguration, ITopologyConfiguration configuration)
    : BusTopology(hostConfiguration, configuration);

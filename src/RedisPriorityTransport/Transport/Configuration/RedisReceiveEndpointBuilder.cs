using MassTransit;
using MassTransit.Configuration;
using MassTransit.Transports;

namespace RedisPriorityTransport.Transport;

/// <summary>Builds the endpoint context and records which message types the queue subscribes to.</summary>
internal sealed class RedisReceiveEndpointBuilder(RedisHostConfiguration hostConfiguration, RedisReceiveEndpointConfiguration configuration)
    : ReceiveEndpointBuilder(configuration)
{
    readonly HashSet<string> _topics = new(configuration.ExplicitTopics, StringComparer.Ordinal);

    public override ConnectHandle ConnectConsumePipe<T>(IPipe<ConsumeContext<T>> pipe, ConnectPipeOptions options)
    {
        if (configuration.ConfigureConsumeTopology && options.HasFlag(ConnectPipeOptions.ConfigureConsumeTopology)
            && configuration.RedisTopology.Consume.GetMessageTopology<T>().ConfigureConsumeTopology)
            _topics.Add(RedisTopics.Of(typeof(T)));
        return base.ConnectConsumePipe(pipe, options);
    }

    public RedisReceiveEndpointContext CreateReceiveEndpointContext()
    {
        var context = new RedisReceiveEndpointContext(hostConfiguration, configuration, _topics.ToArray());
        context.GetOrAddPayload(() => hostConfiguration.Topology);
        // orders_error faults into orders_error_error (MassTransit's naming): a fault never loops a message back to its own queue.
        IErrorTransport errorTransport = new RedisErrorTransport(QueueNames.ErrorQueueOf(configuration.QueueName));
        IDeadLetterTransport deadLetterTransport = new RedisDeadLetterTransport(QueueNames.SkippedQueueOf(configuration.QueueName));
        context.GetOrAddPayload(() => errorTransport);
        context.GetOrAddPayload(() => deadLetterTransport);
        return context;
    }
}

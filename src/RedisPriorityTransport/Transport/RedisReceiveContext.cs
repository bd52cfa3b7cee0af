using MassTransit;
using MassTransit.Transports;

namespace RedisPriorityTransport.Transport;

/// <summary>A message received from a Redis priority queue.</summary>
internal sealed class RedisReceiveContext : BaseReceiveContext, RedisMessageContext, ITransportSequenceNumber
{
    readonly ReservedMessage _message;

    public RedisReceiveContext(ReservedMessage message, RedisReceiveEndpointContext context, RedisReceiveLockContext lockContext)
        : base(message.Redelivered || lockContext.RedeliveryCount > 0, context, lockContext)
    {
        _message = message;
        var redeliveryCount = lockContext.RedeliveryCount;
        Body = redeliveryCount > 0
            ? new BytesMessageBody(RedeliveredEnvelope.WithRedeliveryCount(message, redeliveryCount))
            : new RedisMessageBody(message.BodyMemory);
        HeaderProvider = new StringHeaderProvider(message);
    }

    protected override IHeaderProvider HeaderProvider { get; }

    public override MessageBody Body { get; }

    public MessagePriority Priority => _message.Priority;

    public int DeliveryCount => _message.DeliveryCount;

    public string QueueName => _message.QueueName;

    public string TransportMessageId => _message.Id;

    public DateTimeOffset EnqueuedAt => _message.EnqueuedAt;

    public ulong? SequenceNumber => (ulong)_message.Sequence;
}

using MassTransit.Context;

namespace RedisPriorityTransport.Transport;

/// <summary>The send context of the Redis transport; its urgency and event type travel as headers.</summary>
internal sealed class RedisSendContext<T>(T message, CancellationToken cancellationToken) : MessageSendContext<T>(message, cancellationToken)
    where T : class;

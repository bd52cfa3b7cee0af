namespace RedisPriorityTransport;

/// <summary>
/// What the Redis transport knows about a received message. Read it in a consumer with
/// <c>context.TryGetPayload&lt;RedisMessageContext&gt;(out var redis)</c>.
/// </summary>
public interface RedisMessageContext
{
    /// <summary>The message's urgency and event type as stored in the queue.</summary>
    MessagePriority Priority { get; }

    /// <summary>How many times the message has been delivered, this time included.</summary>
    int DeliveryCount { get; }

    /// <summary>The queue the message came from.</summary>
    string QueueName { get; }

    /// <summary>
    /// The id of the message in the queue: its MassTransit <c>MessageId</c> when it was sent or published through the
    /// transport (a message written with the queue engine directly has the id its producer gave it).
    /// </summary>
    string TransportMessageId { get; }

    /// <summary>When the message was enqueued, by the Redis server's clock.</summary>
    DateTimeOffset EnqueuedAt { get; }
}

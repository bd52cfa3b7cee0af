namespace RedisPriorityTransport;

/// <summary>A message handed to a consumer under a lease.</summary>
public sealed class ReservedMessage
{
    internal ReservedMessage(string queueName, string id, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string> headers,
        MessagePriority priority, int deliveryCount, long leaseToken, long sequence, DateTimeOffset enqueuedAt,
        DateTimeOffset leaseExpiresAt)
    {
        QueueName = queueName;
        Id = id;
        BodyMemory = body;
        Headers = headers;
        Priority = priority;
        DeliveryCount = deliveryCount;
        LeaseToken = leaseToken;
        Sequence = sequence;
        EnqueuedAt = enqueuedAt;
        LeaseExpiresAt = leaseExpiresAt;
    }

    /// <summary>The queue the message was reserved from.</summary>
    public string QueueName { get; }

    /// <summary>The message id.</summary>
    public string Id { get; }

    /// <summary>The body, byte for byte as enqueued.</summary>
    public byte[] Body => _body ??= BodyMemory.ToArray();

    // Copied out of the reply only when asked for: the transport reads the body through BodyMemory.
    byte[]? _body;

    /// <summary>The body as a view of the reserve's reply, without a copy.</summary>
    internal ReadOnlyMemory<byte> BodyMemory { get; }

    /// <summary>The headers, exactly as enqueued plus any the queue added (for example a move reason).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The message's priority.</summary>
    public MessagePriority Priority { get; }

    /// <summary>How many times the message has been reserved, this time included (1 on the first delivery).</summary>
    public int DeliveryCount { get; }

    /// <summary>True when the message was delivered before.</summary>
    public bool Redelivered => DeliveryCount > 1;

    /// <summary>The lease token; acknowledge, release, renew and move must present it.</summary>
    public long LeaseToken { get; }

    /// <summary>The enqueue sequence number: the message's first-in-first-out place within its priority class.</summary>
    public long Sequence { get; }

    /// <summary>When the message was enqueued, by the Redis server's clock.</summary>
    public DateTimeOffset EnqueuedAt { get; }

    /// <summary>When the lease ends unless renewed, by the Redis server's clock.</summary>
    public DateTimeOffset LeaseExpiresAt { get; }

    /// <summary>When the reserve that handed the message out ran, by the Redis server's clock (for the wait metric).</summary>
    internal DateTimeOffset ReservedAt { get; init; }
}

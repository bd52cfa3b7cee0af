namespace RedisPriorityTransport;

/// <summary>A message as a browse lists it.</summary>
public record MessageSummary
{
    /// <summary>The queue the message belongs to (the main queue, also for error and skipped messages).</summary>
    public required string QueueName { get; init; }

    /// <summary>
    /// The message's id in its queue: its MassTransit <c>MessageId</c>. In the error or skipped queue a message that
    /// failed again while an earlier copy was still there has <c>#n</c> appended; a redrive gives it its own id back.
    /// </summary>
    public required string MessageId { get; init; }

    /// <summary>Where the message is.</summary>
    public required MessageState State { get; init; }

    /// <summary>Its urgency.</summary>
    public required Urgency Urgency { get; init; }

    /// <summary>Its urgency's band.</summary>
    public UrgencyBand Band => UrgencyScale.BandOf(Urgency);

    /// <summary>Its event type, or null.</summary>
    public string? EventType { get; init; }

    /// <summary>Its MassTransit message types (URNs), when known.</summary>
    public IReadOnlyList<string> MessageTypes { get; init; } = [];

    /// <summary>
    /// How many times it was delivered to a consumer: waiting, the deliveries that ended without settling it; in flight,
    /// the delivery it is in; in the error or skipped queue, the deliveries it was moved there after (the delivery during
    /// which it faulted). A redrive starts it again from 0.
    /// </summary>
    public int DeliveryCount { get; init; }

    /// <summary>When it was enqueued (Redis time); for an error or skipped message, when it arrived there.</summary>
    public DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>How long it has been in the queue, measured when it was read.</summary>
    public TimeSpan Age { get; init; }

    /// <summary>For a delayed message, when it is due.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>For a message in flight, when its lease expires.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>For an error or skipped message, why it is there.</summary>
    public string? FaultReason { get; init; }
}

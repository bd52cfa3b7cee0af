namespace RedisPriorityTransport;

/// <summary>The state of one queue as an operator sees it.</summary>
public sealed record QueueSummary
{
    /// <summary>The queue's name.</summary>
    public required string Name { get; init; }

    /// <summary>Ready messages in all.</summary>
    public long Ready { get; init; }

    /// <summary>Ready messages per urgency (every urgency present, zero included).</summary>
    public required IReadOnlyDictionary<Urgency, long> ReadyByUrgency { get; init; }

    /// <summary>Ready messages per band (high 8–10, normal 4–7, low 0–3).</summary>
    public required IReadOnlyDictionary<UrgencyBand, long> ReadyByBand { get; init; }

    /// <summary>How long the oldest ready message of each band has waited; null when the band is empty.</summary>
    public required IReadOnlyDictionary<UrgencyBand, TimeSpan?> OldestReadyAgeByBand { get; init; }

    /// <summary>Messages in flight under a lease.</summary>
    public long InFlight { get; init; }

    /// <summary>Messages waiting for their due time.</summary>
    public long Delayed { get; init; }

    /// <summary>Messages in the <c>_error</c> queue.</summary>
    public long Error { get; init; }

    /// <summary>Messages in the <c>_skipped</c> queue.</summary>
    public long Skipped { get; init; }

    /// <summary>True while the queue is paused.</summary>
    public bool IsPaused { get; init; }

    /// <summary>The queue's rate limit, or null.</summary>
    public RateLimit? RateLimit { get; init; }

    /// <summary>Redis memory used by the queue's keys, estimated by sampling (never a full scan); null when not measured.</summary>
    public long? MemoryBytes { get; init; }
}

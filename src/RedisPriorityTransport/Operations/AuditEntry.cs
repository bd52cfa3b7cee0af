namespace RedisPriorityTransport;

/// <summary>One recorded action: who did what to which message or queue, when (Redis time) and why.</summary>
public sealed record AuditEntry
{
    /// <summary>The entry's id in the queue's history (a Redis stream id), ordered by time.</summary>
    public required string Id { get; init; }

    /// <summary>When the action happened, by Redis's clock.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The queue acted on.</summary>
    public required string QueueName { get; init; }

    /// <summary>The message acted on, or null for an action on the whole queue.</summary>
    public string? MessageId { get; init; }

    /// <summary>What was done.</summary>
    public required AuditAction Action { get; init; }

    /// <summary>The urgency before a priority change (or of the cancelled or redriven message).</summary>
    public Urgency? FromUrgency { get; init; }

    /// <summary>The urgency after a priority change.</summary>
    public Urgency? ToUrgency { get; init; }

    /// <summary>The band of <see cref="FromUrgency"/>.</summary>
    public UrgencyBand? FromBand => FromUrgency is { } u ? UrgencyScale.BandOf(u) : null;

    /// <summary>The band of <see cref="ToUrgency"/>.</summary>
    public UrgencyBand? ToBand => ToUrgency is { } u ? UrgencyScale.BandOf(u) : null;

    /// <summary>Who did it.</summary>
    public required string User { get; init; }

    /// <summary>Why, as the user wrote it; may be empty where no reason is required.</summary>
    public string Reason { get; init; } = "";

    /// <summary>Action-specific facts (for example the purged state and count, or the new rate limit).</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}

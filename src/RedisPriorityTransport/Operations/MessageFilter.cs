namespace RedisPriorityTransport;

/// <summary>Narrows a browse to matching messages; every property left null matches everything.</summary>
public sealed record MessageFilter
{
    /// <summary>The MassTransit <c>MessageId</c> (exact).</summary>
    public string? MessageId { get; init; }

    /// <summary>Part of the message type (for example <c>AlertRaised</c> or its full URN), compared ignoring case.</summary>
    public string? MessageType { get; init; }

    /// <summary>The event type (exact).</summary>
    public string? EventType { get; init; }

    /// <summary>The lowest urgency to include.</summary>
    public Urgency? MinUrgency { get; init; }

    /// <summary>The highest urgency to include.</summary>
    public Urgency? MaxUrgency { get; init; }
}

namespace RedisPriorityTransport;

/// <summary>The priority of one message: its urgency and, optionally, its event type.</summary>
/// <param name="Urgency">How urgent the message is.</param>
/// <param name="EventType">Its event type, ranked by the queue's <see cref="EventTypeRanking"/>; null when it has none.</param>
public readonly record struct MessagePriority(Urgency Urgency, string? EventType = null)
{
    /// <summary>The priority of a message that declares nothing: <see cref="Urgency.Normal"/>, no event type.</summary>
    public static MessagePriority Default { get; } = new(Urgency.Normal);
}

namespace RedisPriorityTransport;

/// <summary>The priority of one message: its urgency and, optionally, its event type.</summary>
/// <param name="Urgency">How urgent the message is.</param>
/// <param name="EventType">Its event type, ranked by the queue's <see cref="EventTypeRanking"/>; null when it has none.</param>
public readonly record struct MessagePriority(Urgency Urgency, string? EventType = null)
{
    /// <summary>The priority of a message that declares nothing: <see cref="Urgency.Normal"/>, no event type.</summary>
    public static MessagePriority Default { get; } = new(Urgency.Normal);
}

/// <summary>
/// What a message declares about its priority, each part null when the message says nothing about it, so that a
/// caller can fall back (to the consumed message's priority, then to the default) part by part.
/// </summary>
/// <param name="Urgency">The declared urgency, or null.</param>
/// <param name="EventType">The declared event type, or null.</param>
public readonly record struct DeclaredPriority(Urgency? Urgency, string? EventType)
{
    /// <summary>Nothing declared.</summary>
    public static DeclaredPriority None { get; } = default;

    /// <summary>Fills the parts this declaration leaves open from <paramref name="fallback"/>.</summary>
    public MessagePriority Or(MessagePriority fallback) =>
        new(Urgency ?? fallback.Urgency, EventType ?? fallback.EventType);
}

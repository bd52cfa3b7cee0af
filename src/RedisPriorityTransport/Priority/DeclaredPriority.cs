namespace RedisPriorityTransport;

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

namespace RedisPriorityTransport;

/// <summary>
/// An admin operation named a message that is not in a state the operation applies to (for example a priority change of a
/// message already in flight, or gone). Nothing was changed.
/// </summary>
public sealed class MessageNotFoundException(string queueName, string messageId, string expected, MessageState? actual)
    : Exception(actual is { } state
        ? $"Message '{messageId}' in queue '{queueName}' is {state}; the operation needs it {expected}. Nothing was changed."
        : $"Message '{messageId}' is not in queue '{queueName}' (the operation needs it {expected}). Nothing was changed.")
{
    /// <summary>The queue.</summary>
    public string QueueName { get; } = queueName;

    /// <summary>The message id that was asked for.</summary>
    public string MessageId { get; } = messageId;

    /// <summary>Where the message was found instead, or null when it is not in the queue at all.</summary>
    public MessageState? ActualState { get; } = actual;
}

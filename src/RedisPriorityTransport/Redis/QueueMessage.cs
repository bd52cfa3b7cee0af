namespace RedisPriorityTransport;

/// <summary>A message to put on a <see cref="RedisPriorityQueue"/>.</summary>
public sealed class QueueMessage
{
    /// <summary>Creates a message.</summary>
    /// <param name="id">
    /// Unique id within the queue; a second message with an id still waiting, delayed or in flight (or settled within
    /// <see cref="PriorityQueueSettings.DuplicateDetectionWindow"/>) is a duplicate.
    /// </param>
    /// <param name="body">The body, stored byte for byte.</param>
    /// <param name="priority">Urgency and event type; <see cref="MessagePriority.Default"/> when omitted.</param>
    /// <param name="headers">Headers, stored and returned exactly.</param>
    public QueueMessage(string id, ReadOnlyMemory<byte> body, MessagePriority? priority = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        Id = id;
        Body = body;
        Priority = priority ?? MessagePriority.Default;
        Headers = headers;
    }

    /// <summary>The message id, unique within the queue while the message is waiting, delayed or in flight.</summary>
    public string Id { get; }

    /// <summary>The body, stored byte for byte.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Urgency and event type.</summary>
    public MessagePriority Priority { get; }

    /// <summary>Headers, or null for none.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; }

    /// <summary>
    /// How long to keep the message in the delayed set before it becomes ready; null or zero for at once.
    /// The due time is computed from the Redis server's clock.
    /// </summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>
    /// When the message becomes ready; an alternative to <see cref="Delay"/> (setting both is an error). It is turned
    /// into a delay when enqueued, so the due time is kept to within the skew between this machine's and Redis's clocks.
    /// A time in the past means at once.
    /// </summary>
    public DateTimeOffset? DueAt { get; init; }

    internal TimeSpan EffectiveDelay(DateTimeOffset now)
    {
        if (DueAt is { } due)
        {
            if (Delay is not null)
                throw new ArgumentException($"Message '{Id}' sets both Delay and DueAt; set one.", nameof(DueAt));
            return due > now ? due - now : TimeSpan.Zero;
        }

        return Delay ?? TimeSpan.Zero;
    }
}

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

/// <summary>The outcome of one enqueue.</summary>
/// <param name="Id">The message id.</param>
/// <param name="Added">
/// True when the message was stored; false when its id was already waiting, delayed or in flight, or settled within the
/// duplicate detection window.
/// </param>
public readonly record struct EnqueueResult(string Id, bool Added)
{
    /// <summary>True when the message was not stored because its id was already queued.</summary>
    public bool IsDuplicate => !Added;
}

/// <summary>A message handed to a consumer under a lease.</summary>
public sealed class ReservedMessage
{
    internal ReservedMessage(string queueName, string id, byte[] body, IReadOnlyDictionary<string, string> headers,
        MessagePriority priority, int deliveryCount, long leaseToken, long sequence, DateTimeOffset enqueuedAt,
        DateTimeOffset leaseExpiresAt)
    {
        QueueName = queueName;
        Id = id;
        Body = body;
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
    public byte[] Body { get; }

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

/// <summary>What one reserve call returned.</summary>
/// <param name="Messages">The reserved messages in priority order; empty when nothing was ready.</param>
/// <param name="NextDelayedDueIn">How long until the earliest delayed message is due, when there is one.</param>
public sealed record ReserveResult(IReadOnlyList<ReservedMessage> Messages, TimeSpan? NextDelayedDueIn);

/// <summary>What <see cref="RedisPriorityQueue.AcknowledgeAndReserveAsync"/> did.</summary>
/// <param name="Acknowledged">Per acknowledgement, in the order given: true when deleted, false when its lease was no longer held.</param>
/// <param name="Reserved">The messages reserved after the acknowledgements.</param>
internal sealed record AcknowledgeAndReserveResult(IReadOnlyList<bool> Acknowledged, ReserveResult Reserved)
{
    /// <summary>What the reserve's housekeeping did with expired leases (for the transport's metrics).</summary>
    internal ReclaimResult Reclaimed { get; init; }
}

/// <summary>What one reclaim pass did with expired leases.</summary>
/// <param name="Returned">Messages put back in the ready set at their original place.</param>
/// <param name="DeadLettered">Messages moved to the error queue because they reached the maximum delivery count.</param>
public readonly record struct ReclaimResult(int Returned, int DeadLettered);

/// <summary>Counts of one queue, read atomically.</summary>
public sealed class QueueCounts
{
    internal QueueCounts(IReadOnlyDictionary<Urgency, long> readyByUrgency, long inFlight, long delayed,
        IReadOnlyDictionary<UrgencyBand, TimeSpan?> oldestReadyAgeByBand, long error = 0, long skipped = 0)
    {
        Error = error;
        Skipped = skipped;
        ReadyByUrgency = readyByUrgency;
        InFlight = inFlight;
        Delayed = delayed;
        OldestReadyAgeByBand = oldestReadyAgeByBand;
        ReadyByBand = Enum.GetValues<UrgencyBand>().ToDictionary(band => band,
            band => readyByUrgency.Where(pair => UrgencyScale.BandOf(pair.Key) == band).Sum(pair => pair.Value));
        Ready = readyByUrgency.Values.Sum();
    }

    /// <summary>Messages ready to be reserved.</summary>
    public long Ready { get; }

    /// <summary>Ready messages by urgency (every urgency present, zero when none).</summary>
    public IReadOnlyDictionary<Urgency, long> ReadyByUrgency { get; }

    /// <summary>Ready messages by reporting band.</summary>
    public IReadOnlyDictionary<UrgencyBand, long> ReadyByBand { get; }

    /// <summary>Messages reserved under a lease.</summary>
    public long InFlight { get; }

    /// <summary>Messages waiting for their due time.</summary>
    public long Delayed { get; }

    /// <summary>How long the oldest ready message of each band has waited; null for an empty band.</summary>
    public IReadOnlyDictionary<UrgencyBand, TimeSpan?> OldestReadyAgeByBand { get; }

    /// <summary>Messages in the queue's <c>_error</c> queue (read in the same snapshot).</summary>
    public long Error { get; }

    /// <summary>Messages in the queue's <c>_skipped</c> queue (read in the same snapshot).</summary>
    public long Skipped { get; }
}

namespace RedisPriorityTransport;

/// <summary>
/// The operator's side of the priority queues of one Redis bus: list queues, browse and find messages by their
/// MassTransit <c>MessageId</c>, change priority, cancel, redrive, purge, pause, rate-limit, and read the audit history.
/// Every change is one atomic Redis script that also writes its audit entry, so no change exists without its entry.
/// Registered by <c>UsingRedis</c> and <c>AddRedisPriorityQueue</c>.
/// </summary>
/// <remarks>
/// Queue names are the names of receive endpoints' queues (for example <c>orders</c>); a queue's <c>_error</c> and
/// <c>_skipped</c> queues are addressed through <see cref="MessageState.Error"/> and <see cref="MessageState.Skipped"/>.
/// Methods throw <see cref="QueueNotFoundException"/> for a queue that does not exist, <see cref="MessageNotFoundException"/>
/// when the message is not in a state the action applies to (nothing is changed then), <see cref="InvalidUrgencyException"/>
/// for an urgency outside 0..10, and <see cref="ArgumentException"/> for an empty user or a missing required reason.
/// </remarks>
public interface IPriorityQueueAdmin
{
    /// <summary>Every queue under the bus's key prefix with its counts, oldest ages, pause and rate-limit state and sampled memory.</summary>
    Task<IReadOnlyList<QueueSummary>> GetQueuesAsync(CancellationToken cancellationToken = default);

    /// <summary>One queue's summary.</summary>
    Task<QueueSummary> GetQueueAsync(string queueName, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of a queue's messages in one state: ready in delivery order, delayed by due time, in flight by lease
    /// expiry, error and skipped in the order their queue would deliver them (priority, then arrival). Pass the returned
    /// <see cref="MessagePage.NextCursor"/> for the next page. A page costs O(log N) plus the messages it examines; with a
    /// filter it examines at most <see cref="PriorityQueueAdminOptions.BrowseScanLimit"/> messages, so it may come back
    /// short (even empty) with a cursor to go on.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is outside 1..1000.</exception>
    /// <exception cref="ArgumentException">The cursor is not from a browse of this state, or the filter is inconsistent.</exception>
    Task<MessagePage> BrowseAsync(string queueName, MessageState state, MessageFilter? filter = null, string? cursor = null,
        int pageSize = 50, CancellationToken cancellationToken = default);

    /// <summary>One message whole, wherever it is in the queue (ready, delayed, in flight, error or skipped).</summary>
    Task<MessageDetails> GetMessageAsync(string queueName, string messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the urgency of a waiting (ready or delayed) message. It keeps its enqueue sequence, so among the messages of
    /// its new class it stands where its age puts it. A message in flight or gone is not changed.
    /// </summary>
    /// <returns>The audit entry written with the change.</returns>
    Task<AuditEntry> ChangePriorityAsync(string queueName, string messageId, Urgency urgency, string user, string reason,
        CancellationToken cancellationToken = default);

    /// <summary>Removes a waiting (ready or delayed) message; the audit entry keeps what it was.</summary>
    Task<AuditEntry> CancelAsync(string queueName, string messageId, string user, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves the given messages from the queue's error or skipped queue back to the queue, with their priority and their
    /// fault headers kept as history; their delivery count starts again.
    /// </summary>
    /// <returns>How many were moved (ids not found there are skipped and not counted).</returns>
    Task<int> RedriveAsync(string queueName, DeadLetterQueue source, IReadOnlyCollection<string> messageIds, string user, string? reason = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves every message of the queue's error or skipped queue back to the queue, in batches of 500 (each batch one
    /// script, with one audit entry that counts it, so a large redrive does not flush the history).
    /// </summary>
    Task<long> RedriveAllAsync(string queueName, DeadLetterQueue source, string user, string? reason = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes every message of a queue in one state. Ready and delayed messages go in batches of a few thousand, each
    /// batch one script with its own audit entry; the error and skipped queues go whole.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="state"/> is <see cref="MessageState.InFlight"/>: consumers hold those under leases.</exception>
    Task<long> PurgeAsync(string queueName, MessageState state, string user, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Stops every consumer of the queue, in every process, from reserving messages; publishing goes on. Survives restarts.</summary>
    Task PauseAsync(string queueName, string user, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Lets the consumers of a paused queue reserve again.</summary>
    Task ResumeAsync(string queueName, string user, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Limits how many messages of the queue are started per interval across all consumers and processes, or removes
    /// the limit when <paramref name="limit"/> is null.
    /// </summary>
    Task SetRateLimitAsync(string queueName, RateLimit? limit, string user, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>The audit history of a queue, newest first, paged.</summary>
    Task<AuditPage> GetHistoryAsync(string queueName, AuditQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The audit history of one message, oldest first: its newest 100 entries still in the queue's audit stream, read
    /// through a per-message index (no scan of the stream).
    /// </summary>
    Task<IReadOnlyList<AuditEntry>> GetMessageHistoryAsync(string queueName, string messageId, CancellationToken cancellationToken = default);
}

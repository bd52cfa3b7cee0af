using RedisPriorityTransport.Redis;
using StackExchange.Redis;

namespace RedisPriorityTransport;

/// <summary>
/// One strict-priority queue on Redis: urgency (descending), then event-type rank, then enqueue order. Every operation
/// is one atomic Lua script or one command, and all keys of the queue (and of its error and skipped queues) share one
/// hash tag, so the queue works on Redis Cluster. Usable without MassTransit.
/// </summary>
public sealed class RedisPriorityQueue : IAsyncDisposable
{
    // Expired leases and due delayed messages handled per reserve. A larger backlog is worked off over several calls
    // that reserve nothing meanwhile (strict order first), so this bounds the time one script holds Redis.
    const int HousekeepingLimit = 500;

    readonly IConnectionMultiplexer _connection;
    readonly bool _ownsConnection;
    readonly QueueKeys _keys;
    readonly QueueKeys _errorKeys;
    readonly QueueKeys _skippedKeys;
    readonly ScriptKeys _scriptKeys;
    readonly PriorityQueueSettings _settings;
    readonly RedisChannel _wakeChannel;
    readonly SemaphoreSlim _subscribeLock = new(1, 1);
    readonly EnqueueCoalescer _coalescer;
    TaskCompletionSource _wake = NewWakeSource();
    readonly LeaseTokens _leaseTokens = new();
    bool _subscribed;
    bool _disposed;

    /// <summary>Opens queue <paramref name="queueName"/> on an existing connection, which the caller keeps owning.</summary>
    /// <param name="connection">The Redis connection.</param>
    /// <param name="queueName">1..200 characters of letters, digits, '-', '_' and '.'.</param>
    /// <param name="settings">Key prefix, ranking and limits; defaults when null.</param>
    /// <exception cref="ArgumentException">The queue name is unusable.</exception>
    public RedisPriorityQueue(IConnectionMultiplexer connection, string queueName, PriorityQueueSettings? settings = null)
        : this(connection, queueName, settings, ownsConnection: false)
    {
    }

    RedisPriorityQueue(IConnectionMultiplexer connection, string queueName, PriorityQueueSettings? settings, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _settings = settings ?? new PriorityQueueSettings();
        _keys = new QueueKeys(_settings.KeyPrefix, queueName);
        // An error queue has an error queue of its own (orders_error faults into orders_error_error), so consuming it
        // never loops a message back to itself.
        _errorKeys = new QueueKeys(_settings.KeyPrefix, QueueNames.ErrorQueueOf(queueName));
        _skippedKeys = new QueueKeys(_settings.KeyPrefix, QueueNames.SkippedQueueOf(queueName));
        _scriptKeys = new ScriptKeys(_keys, _errorKeys, _skippedKeys);
        _connection = connection;
        _ownsConnection = ownsConnection;
        _wakeChannel = RedisChannel.Literal(_keys.WakeChannel);
        _coalescer = new EnqueueCoalescer(RunEnqueueAsync, _keys.WakeChannel);
        _connection.ConnectionRestored += OnConnectionRestored;
        // Listed for the admin API (one SADD, not waited for); the admin also finds a queue whose keys exist.
        _connection.GetDatabase().SetAdd(QueueRegistry.KeyOf(_settings.KeyPrefix), QueueRegistry.ListedNameOf(queueName), CommandFlags.FireAndForget);
    }

    /// <summary>Connects to Redis with a StackExchange.Redis configuration string and opens a queue that owns the connection.</summary>
    /// <exception cref="ArgumentException">The configuration or queue name is unusable.</exception>
    public static async Task<RedisPriorityQueue> ConnectAsync(string configuration, string queueName, PriorityQueueSettings? settings = null)
    {
        if (string.IsNullOrWhiteSpace(configuration))
            throw new ArgumentException("A Redis configuration string is required, for example 'localhost:6379'.", nameof(configuration));
        QueueNames.ValidateQueueName(queueName, nameof(queueName));
        var options = ConfigurationOptions.Parse(configuration);
        options.SocketManager ??= RedisConnections.DefaultSocketManager;
        var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        return new RedisPriorityQueue(connection, queueName, settings, ownsConnection: true);
    }

    /// <summary>The queue's name.</summary>
    public string Name => _keys.QueueName;

    /// <summary>The queue that receives this queue's faulted and poison messages.</summary>
    public string ErrorQueueName => _errorKeys.QueueName;

    /// <summary>The queue that receives messages that could not be consumed at all.</summary>
    public string SkippedQueueName => _skippedKeys.QueueName;

    /// <summary>The settings this queue uses.</summary>
    public PriorityQueueSettings Settings => _settings;

    /// <summary>
    /// A task that completes at the next wake-up notification (a message became ready in an empty queue, or a delayed
    /// message became the earliest). Read it <em>before</em> a reserve that may come back empty, then wait on it.
    /// </summary>
    internal Task WakeSignal => Volatile.Read(ref _wake).Task;

    IDatabase Database => _connection.GetDatabase();

    internal bool IsDisposed => _disposed;

    internal IConnectionMultiplexer Connection => _connection;

    /// <summary>The keys this queue passes to its scripts.</summary>
    internal ScriptKeys ScriptKeys => _scriptKeys;

    /// <summary>
    /// Enqueues one message. Returns whether it was added or was a duplicate of a queued id. Concurrent calls on one
    /// queue share script calls (see docs/benchmarks.md): a call made while nothing else is on its way is sent at once.
    /// </summary>
    /// <exception cref="ArgumentException">The id, body, headers or event type are invalid; nothing was written.</exception>
    public async Task<EnqueueResult> EnqueueAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var encoded = new RedisValue[7];
        Encode(message, encoded, 0, nameof(message), DateTimeOffset.UtcNow);
        var added = await _coalescer.EnqueueAsync(encoded, message.Body.Length).ConfigureAwait(false);
        return new EnqueueResult(message.Id, added);
    }

    /// <summary>
    /// Enqueues many messages in one round trip and one atomic script. Each is validated before anything is written.
    /// </summary>
    /// <exception cref="ArgumentException">Any message is invalid; nothing was written.</exception>
    public async Task<IReadOnlyList<EnqueueResult>> EnqueueBatchAsync(IReadOnlyList<QueueMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        if (messages.Count == 0)
            return [];

        var values = new RedisValue[1 + messages.Count * 7];
        values[0] = _keys.WakeChannel;
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < messages.Count; i++)
            Encode(messages[i] ?? throw new ArgumentException($"Message at index {i} is null.", nameof(messages)), values, 1 + i * 7, $"{nameof(messages)}[{i}]", now);

        var result = (RedisResult[])(await RunEnqueueAsync(values).ConfigureAwait(false))!;
        var outcomes = new EnqueueResult[messages.Count];
        for (var i = 0; i < outcomes.Length; i++)
            outcomes[i] = new EnqueueResult(messages[i].Id, (long)result[i] == 1);
        return outcomes;
    }

    Task<RedisResult> RunEnqueueAsync(RedisValue[] values) => RunAsync(LuaScripts.Enqueue, values);

    /// <summary>Runs one of the queue's scripts with the keys it declares (one array per script, reused).</summary>
    Task<RedisResult> RunAsync(EmbeddedScript script, RedisValue[] values) => Database.RunAsync(script, _scriptKeys.For(script), values);

    /// <summary>Validates one message and writes the enqueue script's 7 arguments for it at <paramref name="position"/>.</summary>
    void Encode(QueueMessage message, RedisValue[] values, int position, string name, DateTimeOffset now)
    {
        QueueNames.ValidateMessageId(message.Id, $"{name}.{nameof(QueueMessage.Id)}");
        if (message.Body.Length > _settings.MaxBodyBytes)
            throw new ArgumentException($"Message '{message.Id}' has a body of {message.Body.Length} bytes; the limit is {_settings.MaxBodyBytes}.", name);
        var urgency = UrgencyScale.Validate((int)message.Priority.Urgency);
        if (message.Priority.EventType is { } eventType)
            EventTypeRanking.ValidateName(eventType, $"{name}.{nameof(QueueMessage.Priority)}");
        var delay = message.EffectiveDelay(now);
        if (delay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(name, delay, $"Message '{message.Id}' has a negative delay.");

        values[position++] = message.Id;
        values[position++] = message.Body;
        values[position++] = HeaderCodec.Encode(message.Headers);
        values[position++] = (int)urgency;
        values[position++] = _settings.Ranking.RankOf(message.Priority.EventType);
        values[position++] = message.Priority.EventType ?? string.Empty;
        values[position] = (long)Math.Ceiling(delay.TotalMilliseconds);
    }

    /// <summary>
    /// Reserves up to <paramref name="maxMessages"/> messages in priority order, each under a lease of
    /// <paramref name="lease"/>. Due delayed messages are promoted and expired leases reclaimed first. An empty queue
    /// gives an empty result.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The count or lease is not positive.</exception>
    public async Task<ReserveResult> ReserveAsync(int maxMessages, TimeSpan lease, CancellationToken cancellationToken = default) =>
        (await AcknowledgeAndReserveByTokenAsync([], maxMessages, lease, cancellationToken).ConfigureAwait(false)).Reserved;

    /// <summary>
    /// Acknowledges finished messages and reserves up to <paramref name="maxMessages"/> new ones, in one round trip and
    /// one atomic script: the acknowledgements first, then what <see cref="ReserveAsync"/> does. A consumer that
    /// settles and refills its free slots this way needs one round trip per batch instead of one per message.
    /// </summary>
    /// <param name="finished">Messages of this queue, held under their leases, to delete (may be empty).</param>
    /// <param name="maxMessages">How many messages to reserve (0 only acknowledges and does the housekeeping).</param>
    /// <param name="lease">The lease of the reserved messages.</param>
    /// <param name="cancellationToken">Cancels before the call is sent.</param>
    /// <exception cref="ArgumentException">A finished message is null or was reserved from another queue.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative or the lease is not positive.</exception>
    public Task<AcknowledgeAndReserveResult> AcknowledgeAndReserveAsync(IReadOnlyList<ReservedMessage> finished, int maxMessages, TimeSpan lease,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(finished);
        var leases = new (string Id, long LeaseToken)[finished.Count];
        for (var i = 0; i < finished.Count; i++)
        {
            var message = finished[i] ?? throw new ArgumentException($"Finished message {i} is null.", nameof(finished));
            if (message.QueueName != Name)
                throw new ArgumentException($"Message {message.Id} was reserved from queue '{message.QueueName}', not '{Name}'.", nameof(finished));
            leases[i] = (message.Id, message.LeaseToken);
        }

        return AcknowledgeAndReserveByTokenAsync(leases, maxMessages, lease, cancellationToken);
    }

    /// <summary>
    /// <see cref="AcknowledgeAndReserveAsync"/> for messages named by id and lease token (what the transport's receive
    /// loop keeps).
    /// </summary>
    /// <exception cref="ArgumentException">A message id is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative or the lease is not positive.</exception>
    internal async Task<AcknowledgeAndReserveResult> AcknowledgeAndReserveByTokenAsync(IReadOnlyList<(string Id, long LeaseToken)> acknowledgements,
        int maxMessages, TimeSpan lease, CancellationToken cancellationToken = default, SleeperRegistration? sleeper = null)
    {
        ArgumentNullException.ThrowIfNull(acknowledgements);
        if (maxMessages < 0)
            throw new ArgumentOutOfRangeException(nameof(maxMessages), maxMessages, "The number of messages to reserve must not be negative.");
        var leaseMs = ToPositiveMilliseconds(lease, nameof(lease));
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();

        var tokens = _leaseTokens.Next(maxMessages);
        // A registering loop adds four values; the engine's public callers do not register, and enqueues wake them as before.
        var values = new RedisValue[(sleeper is null ? 9 : 13) + acknowledgements.Count * 2];
        values[0] = maxMessages;
        values[1] = leaseMs;
        values[2] = _settings.MaxDeliveryCount;
        values[3] = _settings.ReasonHeader;
        values[4] = HousekeepingLimit;
        values[5] = acknowledgements.Count;
        for (var i = 0; i < acknowledgements.Count; i++)
        {
            values[6 + i * 2] = QueueNames.ValidateMessageId(acknowledgements[i].Id, nameof(acknowledgements));
            values[7 + i * 2] = acknowledgements[i].LeaseToken;
        }

        values[6 + acknowledgements.Count * 2] = _settings.DuplicateDetectionWindowMs;
        values[7 + acknowledgements.Count * 2] = tokens.Prefix;
        values[8 + acknowledgements.Count * 2] = tokens.First;
        if (sleeper is { } loop)
        {
            values[9 + acknowledgements.Count * 2] = loop.LoopId;
            values[10 + acknowledgements.Count * 2] = loop.Running;
            values[11 + acknowledgements.Count * 2] = loop.BusyWaitMs;
            values[12 + acknowledgements.Count * 2] = loop.IdleWaitMs;
        }

        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await RunAsync(LuaScripts.Reserve, values)
                .ConfigureAwait(false))!;
            return await ReadReserveResultAsync(result, expectedAcknowledgements: acknowledgements.Count).ConfigureAwait(false);
        }
        catch (Exception) when (maxMessages > 0)
        {
            // The script may have run although no usable reply came back (a timeout, a dropped connection, a reply that
            // did not parse): its messages would stay leased, a delivery counted, until the lease expires. No consumer
            // got them, so they go back at once, uncounted.
            await GiveBackAsync(tokens, lease).ConfigureAwait(false);
            throw;
        }
    }

    async Task<AcknowledgeAndReserveResult> ReadReserveResultAsync(RedisResult[] result, int expectedAcknowledgements)
    {
        var nextDue = (long)result[0];
        var expiresAt = FromUnixMs((long)result[2]);
        var reservedAt = FromUnixMs((long)result[1]);
        var ackCount = (int)result[5];
        if (ackCount != expectedAcknowledgements)
            throw new InvalidOperationException($"The reserve script of queue '{Name}' answered {ackCount} acknowledgements for {expectedAcknowledgements}.");
        var acknowledged = new bool[ackCount];
        for (var i = 0; i < ackCount; i++)
            acknowledged[i] = (long)result[6 + i] == 1;
        var first = 6 + ackCount;
        var messages = new List<ReservedMessage>((result.Length - first) / 4);
        for (var i = first; i + 3 < result.Length; i += 4)
        {
            var id = (string)result[i]!;
            var token = (long)result[i + 3];
            if (!MessageRecord.TryParse((byte[])result[i + 1]!, out var record, out var problem))
            {
                // Foreign or damaged data is never dropped: it goes to the skipped queue with the reason. If that move
                // fails, the record stays leased and comes back when the lease expires; the rest of the batch is delivered.
                try
                {
                    await MoveAsync(id, token, SkippedQueueName, $"unreadable message record: {problem}", keepRecordAsBody: true).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException)
                {
                }

                continue;
            }

            messages.Add(new ReservedMessage(Name, id, record.Body, record.Headers, new MessagePriority(record.Urgency, record.EventType),
                deliveryCount: (int)result[i + 2], leaseToken: token, sequence: record.Sequence,
                enqueuedAt: FromUnixMs(record.EnqueuedMs), leaseExpiresAt: expiresAt) { ReservedAt = reservedAt });
        }

        return new AcknowledgeAndReserveResult(acknowledged,
            new ReserveResult(messages, nextDue >= 0 ? TimeSpan.FromMilliseconds(nextDue) : null))
        {
            Reclaimed = new ReclaimResult((int)result[3], (int)result[4]),
            HandedOut = (result.Length - first) / 4,
        };
    }

    /// <summary>
    /// Gives back the messages of a reserve that failed after its script may have run. Tries at once; when that fails
    /// too (it can time out behind the very reserve it undoes, or Redis is down), keeps trying in the background until
    /// it succeeds, the lease has run out anyway, or the queue is disposed.
    /// </summary>
    async Task GiveBackAsync(LeaseTokenRange tokens, TimeSpan lease)
    {
        if (await TryGiveBackAsync(tokens).ConfigureAwait(false))
            return;
        var deadline = DateTime.UtcNow + lease;
        _ = Task.Run(async () =>
        {
            for (var attempt = 0; DateTime.UtcNow < deadline && !_disposed; attempt++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 50 << Math.Min(attempt, 6)))).ConfigureAwait(false);
                if (await TryGiveBackAsync(tokens).ConfigureAwait(false))
                    return;
            }
        });
    }

    async Task<bool> TryGiveBackAsync(LeaseTokenRange tokens)
    {
        try
        {
            await RunAsync(LuaScripts.GiveBack, [tokens.Prefix, tokens.First, tokens.Count, _keys.WakeChannel])
                .ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reserves up to <paramref name="maxMessages"/> messages, waiting for a wake-up notification (or the next due
    /// delayed message, or the fallback poll) while the queue is empty, for at most <paramref name="maxWait"/>.
    /// Returns an empty result when the wait ends without messages or <paramref name="cancellationToken"/> fires.
    /// An idle caller costs one Redis command per <see cref="PriorityQueueSettings.FallbackPollInterval"/>.
    /// </summary>
    public async Task<ReserveResult> ReserveOrWaitAsync(int maxMessages, TimeSpan lease, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        if (maxWait < TimeSpan.Zero && maxWait != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(maxWait), maxWait, "The wait must not be negative.");
        await EnsureSubscribedAsync().ConfigureAwait(false);
        var deadline = maxWait == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + maxWait;
        while (true)
        {
            if (cancellationToken.IsCancellationRequested)
                return new ReserveResult([], null);
            var wake = WakeSignal;
            var result = await ReserveAsync(maxMessages, lease, cancellationToken).ConfigureAwait(false);
            var remaining = deadline - DateTime.UtcNow;
            if (result.Messages.Count > 0 || remaining <= TimeSpan.Zero || cancellationToken.IsCancellationRequested)
                return result;

            var wait = _settings.FallbackPollInterval;
            if (result.NextDelayedDueIn is { } due && due < wait)
                wait = due;
            if (remaining < wait)
                wait = remaining;
            await WaitAsync(wake, wait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until <paramref name="wakeSignal"/> (read from <see cref="WakeSignal"/> before an empty reserve) completes,
    /// <paramref name="maxWait"/> passes, or <paramref name="cancellationToken"/> fires; never throws on cancellation.
    /// </summary>
    internal async Task WaitAsync(Task wakeSignal, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wakeSignal);
        await EnsureSubscribedAsync().ConfigureAwait(false);
        // One timer and one registration, released when the wait ends; no linked source, no delay task, no exception.
        await wakeSignal.WaitAsync(maxWait, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Deletes a message held under <paramref name="leaseToken"/>. False when the lease is no longer held.</summary>
    public async Task<bool> AcknowledgeAsync(string id, long leaseToken)
    {
        QueueNames.ValidateMessageId(id);
        ThrowIfDisposed();
        var result = await RunAsync(LuaScripts.Acknowledge, [id, leaseToken, _settings.DuplicateDetectionWindowMs])
            .ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <summary>
    /// Gives a message back: to the ready set at its original place, or (with <paramref name="delay"/>) to the delayed
    /// set, from which it becomes ready at its original place too (it keeps its sequence). <paramref name="countDelivery"/>
    /// false undoes the delivery count (a graceful shutdown or a redelivery, not a failure). <paramref name="headers"/>
    /// replace the stored headers of the same names in the same atomic step (a redelivery count, say): the same record,
    /// under the same id, is delivered again. False when the lease is no longer held.
    /// </summary>
    /// <exception cref="ArgumentException">The id or a header is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The delay is negative.</exception>
    public async Task<bool> ReleaseAsync(string id, long leaseToken, TimeSpan? delay = null, bool countDelivery = true,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        QueueNames.ValidateMessageId(id);
        if (delay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "The delay must not be negative.");
        var packed = HeaderCodec.Encode(headers);
        ThrowIfDisposed();
        var result = await RunAsync(LuaScripts.Release,
        [
            id, leaseToken, (long)Math.Ceiling((delay ?? TimeSpan.Zero).TotalMilliseconds),
            countDelivery ? "0" : "1", _keys.WakeChannel, packed,
        ]).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <summary>Extends a lease to <paramref name="lease"/> from now. False when the lease is no longer held.</summary>
    public async Task<bool> RenewLeaseAsync(string id, long leaseToken, TimeSpan lease)
    {
        var results = await RenewLeasesAsync([(id, leaseToken)], lease).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>Extends several leases in one round trip; one flag per lease, false where it is no longer held.</summary>
    public async Task<IReadOnlyList<bool>> RenewLeasesAsync(IReadOnlyList<(string Id, long LeaseToken)> leases, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(leases);
        var leaseMs = ToPositiveMilliseconds(lease, nameof(lease));
        ThrowIfDisposed();
        if (leases.Count == 0)
            return [];
        var values = new RedisValue[1 + leases.Count * 2];
        values[0] = leaseMs;
        for (var i = 0; i < leases.Count; i++)
        {
            values[1 + i * 2] = QueueNames.ValidateMessageId(leases[i].Id, nameof(leases));
            values[2 + i * 2] = leases[i].LeaseToken;
        }

        var result = (RedisResult[])(await RunAsync(LuaScripts.Renew, values).ConfigureAwait(false))!;
        return result.Skip(1).Select(r => (long)r == 1).ToArray();
    }

    /// <summary>
    /// Moves a message held under a lease to <paramref name="destinationQueue"/> — this queue's error or skipped queue,
    /// which share its hash tag — keeping its priority and body and adding <paramref name="reason"/> (in
    /// <see cref="PriorityQueueSettings.ReasonHeader"/>) and <paramref name="extraHeaders"/>. Returns the id the message
    /// has there (its own, or a suffixed one if that id was taken), or null when the lease is no longer held.
    /// </summary>
    /// <exception cref="ArgumentException">The destination does not share this queue's hash tag, or an argument is empty.</exception>
    public Task<string?> MoveAsync(string id, long leaseToken, string destinationQueue, string reason,
        IReadOnlyDictionary<string, string>? extraHeaders = null) =>
        MoveAsync(id, leaseToken, destinationQueue, reason, extraHeaders, keepRecordAsBody: false);

    async Task<string?> MoveAsync(string id, long leaseToken, string destinationQueue, string reason,
        IReadOnlyDictionary<string, string>? extraHeaders = null, bool keepRecordAsBody = false)
    {
        QueueNames.ValidateMessageId(id);
        QueueNames.ValidateQueueName(destinationQueue, nameof(destinationQueue));
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("A move needs a reason.", nameof(reason));
        if (QueueNames.HashTagOf(destinationQueue) != _keys.HashTag)
            throw new ArgumentException(
                $"Queue '{Name}' can move messages only to queues of its hash tag '{_keys.HashTag}' (such as '{ErrorQueueName}' or '{SkippedQueueName}'), not to '{destinationQueue}'.",
                nameof(destinationQueue));
        ThrowIfDisposed();
        var destination = destinationQueue == ErrorQueueName ? _errorKeys
            : destinationQueue == SkippedQueueName ? _skippedKeys
            : new QueueKeys(_settings.KeyPrefix, destinationQueue);
        var result = await Database.RunAsync(LuaScripts.Move, _scriptKeys.For(LuaScripts.Move, destination),
            [id, leaseToken, _settings.ReasonHeader, reason, HeaderCodec.Encode(extraHeaders), destination.WakeChannel, keepRecordAsBody ? "1" : "0",
                _settings.DuplicateDetectionWindowMs]).ConfigureAwait(false);
        return result.IsNull ? null : (string?)result;
    }

    /// <summary>
    /// Returns expired leases to the ready set at their original place, or moves messages that reached
    /// <see cref="PriorityQueueSettings.MaxDeliveryCount"/> to the error queue. Reserve does this too, a bounded amount per call.
    /// </summary>
    public async Task<ReclaimResult> ReclaimExpiredAsync(int limit = 1000)
    {
        if (limit <= 0)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must be positive.");
        ThrowIfDisposed();
        var result = (RedisResult[])(await RunAsync(LuaScripts.Reclaim,
            [_settings.MaxDeliveryCount, _settings.ReasonHeader, limit, _keys.WakeChannel, _settings.DuplicateDetectionWindowMs]).ConfigureAwait(false))!;
        return new ReclaimResult((int)result[0], (int)result[1]);
    }

    /// <summary>
    /// Changes the urgency and event type of a waiting message in place; it keeps its enqueue sequence. False when
    /// the message is not waiting (unknown, in flight or done).
    /// </summary>
    public async Task<bool> ChangePriorityAsync(string id, MessagePriority priority)
    {
        QueueNames.ValidateMessageId(id);
        var urgency = UrgencyScale.Validate((int)priority.Urgency);
        if (priority.EventType is { } eventType)
            EventTypeRanking.ValidateName(eventType, nameof(priority));
        ThrowIfDisposed();
        var result = await RunAsync(LuaScripts.ChangePriority,
            [id, (int)urgency, _settings.Ranking.RankOf(priority.EventType), priority.EventType ?? string.Empty])
            .ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <summary>Removes a waiting message. False when it is not waiting (unknown, in flight or done).</summary>
    public async Task<bool> CancelAsync(string id)
    {
        QueueNames.ValidateMessageId(id);
        ThrowIfDisposed();
        var result = await RunAsync(LuaScripts.Cancel, [id, _settings.DuplicateDetectionWindowMs]).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <summary>The ids of the first <paramref name="count"/> ready messages, in delivery order.</summary>
    public async Task<IReadOnlyList<string>> PeekAsync(int count)
    {
        if (count <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "The count must be positive.");
        ThrowIfDisposed();
        var members = await Database.SortedSetRangeByRankAsync(_keys.Ready, 0, count - 1).ConfigureAwait(false);
        return members.Select(m => (string)m!).ToArray();
    }

    /// <summary>Counts by urgency and band, in flight, delayed, and the age of the oldest ready message per band.</summary>
    public async Task<QueueCounts> GetCountsAsync()
    {
        ThrowIfDisposed();
        var result = (RedisResult[])(await RunAsync(LuaScripts.Counts, [0])
            .ConfigureAwait(false))!;
        var now = (long)result[0];
        var byUrgency = new Dictionary<Urgency, long>();
        for (var i = 0; i < UrgencyScale.Count; i++)
            byUrgency[(Urgency)(UrgencyScale.Max - i)] = (long)result[3 + i];
        var ages = new Dictionary<UrgencyBand, TimeSpan?>();
        UrgencyBand[] bands = [UrgencyBand.High, UrgencyBand.Normal, UrgencyBand.Low];
        for (var i = 0; i < bands.Length; i++)
        {
            var oldest = (long)result[3 + UrgencyScale.Count + i];
            ages[bands[i]] = oldest < 0 ? null : TimeSpan.FromMilliseconds(Math.Max(0, now - oldest));
        }

        var depths = 3 + UrgencyScale.Count + bands.Length;
        return new QueueCounts(byUrgency, (long)result[1], (long)result[2], ages, (long)result[depths], (long)result[depths + 1]);
    }

    /// <summary>Deletes every message of the queue (ready, delayed and in flight) in one atomic step. Returns how many.</summary>
    /// <remarks>The keys are unlinked, so Redis frees their memory in the background.</remarks>
    public async Task<long> PurgeAsync()
    {
        ThrowIfDisposed();
        return (long)await RunAsync(LuaScripts.Purge, [0]).ConfigureAwait(false);
    }

    /// <summary>Purges the queue and deletes its counters, pause and rate-limit state and history: the queue no longer exists in Redis.</summary>
    public async Task DeleteAsync()
    {
        await PurgeAsync().ConfigureAwait(false);
        await Database.KeyDeleteAsync([_keys.Sequence, _keys.Lease, _keys.Settled, _keys.Control, _keys.Audit, _keys.AuditIndex, _keys.Sleepers]).ConfigureAwait(false);
        if (_keys.QueueName == QueueRegistry.ListedNameOf(_keys.QueueName))
            await Database.SetRemoveAsync(QueueRegistry.KeyOf(_settings.KeyPrefix), _keys.QueueName).ConfigureAwait(false);
    }

    /// <summary>Subscribes to wake-up notifications; called by the waiting methods, so needed only to subscribe early.</summary>
    /// <summary>
    /// Records this queue's duplicate detection window in its control hash (one command), where an operator's cancel
    /// (<c>admin_cancel</c>) reads it: the admin API does not know the window its consumers were configured with. The
    /// receive endpoint records it when it starts; with several consumers configured differently, the last one wins.
    /// </summary>
    internal Task RecordDuplicateDetectionWindowAsync() =>
        Database.HashSetAsync(_keys.Control, DuplicateWindowField, _settings.DuplicateDetectionWindowMs);

    /// <summary>The control hash field holding the duplicate detection window in ms (see docs/wire-format.md).</summary>
    internal const string DuplicateWindowField = "window";

    internal async Task EnsureSubscribedAsync()
    {
        if (Volatile.Read(ref _subscribed))
            return;
        await _subscribeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_subscribed)
                return;
            ThrowIfDisposed();
            await _connection.GetSubscriber().SubscribeAsync(_wakeChannel, (_, _) => Wake()).ConfigureAwait(false);
            Volatile.Write(ref _subscribed, true);
        }
        finally
        {
            _subscribeLock.Release();
        }
    }

    /// <summary>Unsubscribes and, when the queue opened its own connection, closes it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        _connection.ConnectionRestored -= OnConnectionRestored;
        if (_subscribed)
        {
            try
            {
                await _connection.GetSubscriber().UnsubscribeAsync(_wakeChannel).ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // The connection is gone; there is nothing left to unsubscribe from.
            }
        }

        Wake();
        if (_ownsConnection)
            await _connection.DisposeAsync().ConfigureAwait(false);
        _subscribeLock.Dispose();
    }

    void Wake() => Interlocked.Exchange(ref _wake, NewWakeSource()).TrySetResult();

    // Notifications sent while the connection was down are lost; waiters re-check at once.
    void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => Wake();

    static TaskCompletionSource NewWakeSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    static long ToPositiveMilliseconds(TimeSpan value, string parameterName)
    {
        var ms = (long)Math.Ceiling(value.TotalMilliseconds);
        if (ms <= 0)
            throw new ArgumentOutOfRangeException(parameterName, value, "The duration must be positive.");
        return ms;
    }

    static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}

using System.Collections.Concurrent;
using StackExchange.Redis;

namespace RedisPriorityTransport.Redis;

/// <summary>
/// Joins concurrent single enqueues to one queue into batch script calls. A sender adds its encoded message to a
/// lock-free queue; when no enqueue of this queue is on its way to Redis it sends at once itself (a lone sender costs
/// what a plain call costs, with no added wait); otherwise the first sender to find no flush scheduled schedules one on the
/// thread pool, and that flush drains whatever has arrived by then into one script call. A flush never waits for the
/// batches before it: many batches are in flight at once, pipelined on the connection like separate calls. Each sender
/// awaits its own entry's result.
/// </summary>
/// <remarks>
/// Order is kept: a flush hands its call to the connection before it lets the next flush start, so Redis runs the
/// batches in the order their messages arrived, and a sender that enqueues without awaiting keeps its order too.
/// </remarks>
internal sealed class EnqueueCoalescer : IThreadPoolWorkItem
{
    /// <summary>Most messages in one script call: Redis runs a script alone, so a batch must stay short.</summary>
    public const int MaxBatchMessages = 64;

    /// <summary>Most body bytes in one script call (a single larger message still goes alone).</summary>
    public const int MaxBatchBytes = 256 * 1024;

    readonly Func<RedisValue[], Task<RedisResult>> _send;
    readonly RedisValue _wakeChannel;
    readonly ConcurrentQueue<Entry> _entries = new();
    // 1 while a flush is scheduled or running; only its holder drains the queue and sends.
    int _flushing;
    // Script calls sent and not yet answered.
    int _inFlight;

    /// <param name="send">Runs the enqueue script with the given arguments (the wake channel, then 7 values a message).</param>
    /// <param name="wakeChannel">The queue's wake-up channel, the script's first argument.</param>
    public EnqueueCoalescer(Func<RedisValue[], Task<RedisResult>> send, RedisValue wakeChannel)
    {
        _send = send;
        _wakeChannel = wakeChannel;
    }

    /// <summary>Enqueues one message, already validated and encoded (7 values); true when added, false for a duplicate.</summary>
    public Task<bool> EnqueueAsync(RedisValue[] encoded, int bodyBytes)
    {
        var entry = new Entry(encoded, bodyBytes);
        _entries.Enqueue(entry);
        if (Interlocked.CompareExchange(ref _flushing, 1, 0) == 0)
        {
            if (Volatile.Read(ref _inFlight) == 0)
                FlushInline();
            else
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return entry.Result.Task;
    }

    void IThreadPoolWorkItem.Execute() => Flush();

    // Runs with _flushing held: sends batches until the queue is empty, then lets go and checks for late arrivals.
    void Flush()
    {
        while (true)
        {
            while (!_entries.IsEmpty)
                SendBatch();
            // A full fence, not a plain release: the check below must not read the queue before the release is visible,
            // or a sender that enqueues in between finds _flushing still held and leaves its entry to a flush that ended.
            Interlocked.Exchange(ref _flushing, 0);
            // A sender that came after the last drain but saw _flushing still held left its entry to this flush.
            if (_entries.IsEmpty || Interlocked.CompareExchange(ref _flushing, 1, 0) != 0)
                return;
        }
    }

    // A sender flushing on its own thread sends one batch and leaves the rest to the thread pool.
    void FlushInline()
    {
        SendBatch();
        if (!_entries.IsEmpty)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            return;
        }

        Interlocked.Exchange(ref _flushing, 0); // a full fence, as in Flush
        if (!_entries.IsEmpty && Interlocked.CompareExchange(ref _flushing, 1, 0) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void SendBatch()
    {
        var batch = new List<Entry>();
        var bytes = 0;
        while (batch.Count < MaxBatchMessages && _entries.TryPeek(out var next) && (batch.Count == 0 || bytes + next.BodyBytes <= MaxBatchBytes)
               && _entries.TryDequeue(out next))
        {
            batch.Add(next);
            bytes += next.BodyBytes;
        }

        var values = new RedisValue[1 + batch.Count * 7];
        values[0] = _wakeChannel;
        for (var i = 0; i < batch.Count; i++)
            Array.Copy(batch[i].Encoded, 0, values, 1 + i * 7, 7);
        Interlocked.Increment(ref _inFlight);
        Task<RedisResult> call;
        try
        {
            call = _send(values);
        }
        catch (Exception exception)
        {
            Interlocked.Decrement(ref _inFlight);
            foreach (var entry in batch)
                entry.Result.TrySetException(exception);
            return;
        }

        _ = Complete(call, batch);
    }

    async Task Complete(Task<RedisResult> call, List<Entry> batch)
    {
        RedisResult[] results;
        try
        {
            results = (RedisResult[])(await call.ConfigureAwait(false))!;
        }
        catch (Exception exception)
        {
            Interlocked.Decrement(ref _inFlight);
            foreach (var entry in batch)
                entry.Result.TrySetException(exception);
            return;
        }

        // The senders go on while this batch still counts as in flight, so the sends they make next join one scheduled
        // flush instead of each going out alone.
        for (var i = 0; i < batch.Count; i++)
            batch[i].Result.TrySetResult((long)results[i] == 1);
        Interlocked.Decrement(ref _inFlight);
    }

    sealed class Entry(RedisValue[] encoded, int bodyBytes)
    {
        public RedisValue[] Encoded => encoded;

        public int BodyBytes => bodyBytes;

        // Continuations run where the result is set: Complete sets a batch's results one after another on the thread-pool
        // thread that took the reply, so a batch costs one hop, not one per sender.
        public TaskCompletionSource<bool> Result { get; } = new();
    }
}

using System.Diagnostics;

namespace RedisPriorityTransport.Monitoring;

/// <summary>
/// One queue watched for the depth instruments and the health check: the last counts read from Redis, refreshed by one
/// counts script call when they are older than the asked age, however many instruments, checks or endpoints ask. Every
/// receive endpoint instance that reads the queue registers its engine queue here; any live one serves the reads.
/// </summary>
internal sealed class MonitoredQueue(string name)
{
    readonly object _lock = new();
    readonly List<(object Owner, RedisPriorityQueue Queue)> _registrations = [];
    Task<QueueCounts>? _refresh;
    QueueCounts? _counts;
    long _readAt;

    public string Name => name;

    /// <summary>How many times the counts were read from Redis (for tests of the cache).</summary>
    public long Reads { get; private set; }

    public void Add(object owner, RedisPriorityQueue queue)
    {
        lock (_lock)
            _registrations.Add((owner, queue));
    }

    /// <summary>True once every engine queue registered for it is disposed (its endpoints stopped).</summary>
    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                _registrations.RemoveAll(r => r.Queue.IsDisposed);
                return _registrations.Count == 0;
            }
        }
    }

    public bool BelongsTo(object owner)
    {
        lock (_lock)
            return _registrations.Exists(r => r.Owner == owner && !r.Queue.IsDisposed);
    }

    /// <summary>
    /// Counts no older than <paramref name="maxAge"/>: the cached ones, or a read started now (one at a time). The task
    /// fails when Redis does not answer or the queue has closed.
    /// </summary>
    public Task<QueueCounts> GetCountsAsync(TimeSpan maxAge)
    {
        lock (_lock)
        {
            if (_counts is { } counts && Stopwatch.GetElapsedTime(_readAt) <= maxAge)
                return Task.FromResult(counts);
            if (_refresh is { IsCompleted: false } running)
                return running;
            var reader = _registrations.Find(r => !r.Queue.IsDisposed).Queue;
            if (reader is null)
                return Task.FromException<QueueCounts>(new ObjectDisposedException(name, $"Queue '{name}' is no longer received from."));
            Reads++;
            return _refresh = ReadAsync(reader);
        }
    }

    async Task<QueueCounts> ReadAsync(RedisPriorityQueue reader)
    {
        var started = Stopwatch.GetTimestamp();
        var counts = await reader.GetCountsAsync().ConfigureAwait(false);
        lock (_lock)
        {
            _counts = counts;
            // The snapshot's age counts from when it was asked for, so a slow read is not taken for a fresh one.
            _readAt = started;
        }

        return counts;
    }
}

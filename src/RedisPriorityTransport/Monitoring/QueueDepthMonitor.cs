using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using StackExchange.Redis;

namespace RedisPriorityTransport.Monitoring;

/// <summary>
/// The receive queues of the running buses of this process, and the callbacks of the observable depth instruments.
/// A collection reads each queue's counts with one script call, shared by every instrument and health check that asks
/// within <see cref="SnapshotMaxAge"/>; the queues come from the buses' receive endpoints, never from a key scan.
/// </summary>
internal static class QueueDepthMonitor
{
    /// <summary>
    /// How old a snapshot may be and still be reported. Short enough that every collection reads fresh counts, long enough
    /// that the instruments of one collection (and several exporters collecting at once) share one read.
    /// </summary>
    public static readonly TimeSpan SnapshotMaxAge = TimeSpan.FromSeconds(1);

    /// <summary>How long a collection waits for Redis before it leaves out the queues that did not answer.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    // One entry per queue in Redis (connection, key prefix, name): several endpoints or buses of this process that read
    // the same queue share its reads and report it once.
    static readonly ConcurrentDictionary<(IConnectionMultiplexer, string, string), MonitoredQueue> Queues = new();

    /// <summary>Starts watching a receive queue of <paramref name="owner"/> (a bus's transport) until the queue is disposed.</summary>
    public static MonitoredQueue Register(object owner, RedisPriorityQueue queue)
    {
        TransportMetrics.EnsureCreated();
        while (true)
        {
            var monitored = Queues.GetOrAdd((queue.Connection, queue.Settings.KeyPrefix, queue.Name), key => new MonitoredQueue(key.Item3));
            monitored.Add(owner, queue);
            // A concurrent sweep may have dropped the entry as closed just before the add: register again if so.
            if (Queues.TryGetValue((queue.Connection, queue.Settings.KeyPrefix, queue.Name), out var current) && current == monitored)
                return monitored;
        }
    }

    /// <summary>The live queues of <paramref name="owner"/>.</summary>
    public static IReadOnlyList<MonitoredQueue> QueuesOf(object owner) => Live().Where(q => q.BelongsTo(owner)).ToList();

    /// <summary>The live entries for a queue name under a key prefix (for tests).</summary>
    internal static IEnumerable<MonitoredQueue> Find(string keyPrefix, string queueName) =>
        Queues.Where(e => e.Key.Item2 == keyPrefix && e.Key.Item3 == queueName && !e.Value.IsClosed).Select(e => e.Value);

    internal static IEnumerable<Measurement<long>> ObserveMessages()
    {
        foreach (var (queue, counts) in Snapshots())
        {
            var name = new KeyValuePair<string, object?>(TransportMetrics.QueueAttribute, queue.Name);
            foreach (var (band, ready) in counts.ReadyByBand)
                yield return new Measurement<long>(ready, name, State("ready"),
                    new KeyValuePair<string, object?>(TransportMetrics.BandAttribute, TransportMetrics.BandName(band)));
            yield return new Measurement<long>(counts.Delayed, name, State("delayed"));
            yield return new Measurement<long>(counts.InFlight, name, State("in_flight"));
            yield return new Measurement<long>(counts.Error, name, State("error"));
            yield return new Measurement<long>(counts.Skipped, name, State("skipped"));
        }
    }

    internal static IEnumerable<Measurement<double>> ObserveOldestAges()
    {
        foreach (var (queue, counts) in Snapshots())
        {
            var name = new KeyValuePair<string, object?>(TransportMetrics.QueueAttribute, queue.Name);
            foreach (var (band, age) in counts.OldestReadyAgeByBand)
                yield return new Measurement<double>(age?.TotalSeconds ?? 0, name,
                    new KeyValuePair<string, object?>(TransportMetrics.BandAttribute, TransportMetrics.BandName(band)));
        }
    }

    static KeyValuePair<string, object?> State(string state) => new(TransportMetrics.StateAttribute, state);

    /// <summary>
    /// Fresh counts of every live queue, read in parallel; a queue whose read fails or takes longer than
    /// <see cref="ReadTimeout"/> is left out of this collection rather than reported with stale numbers.
    /// </summary>
    static List<(MonitoredQueue Queue, QueueCounts Counts)> Snapshots()
    {
        // Observable callbacks are synchronous; the reads run in parallel and the wait is bounded.
        var queues = Live().ToList();
        var reads = queues.Select(q => q.GetCountsAsync(SnapshotMaxAge)).ToArray();
        try
        {
            Task.WaitAll(reads, ReadTimeout);
        }
        catch (AggregateException)
        {
            // Failed reads are skipped below.
        }

        var snapshots = new List<(MonitoredQueue, QueueCounts)>(queues.Count);
        for (var i = 0; i < queues.Count; i++)
        {
            if (reads[i].IsCompletedSuccessfully)
                snapshots.Add((queues[i], reads[i].Result));
        }

        return snapshots;
    }

    static IEnumerable<MonitoredQueue> Live()
    {
        foreach (var entry in Queues)
        {
            if (entry.Value.IsClosed)
                Queues.TryRemove(entry);
            else
                yield return entry.Value;
        }
    }
}

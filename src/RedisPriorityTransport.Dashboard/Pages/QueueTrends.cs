using System.Collections.Concurrent;
using System.Diagnostics;

namespace RedisPriorityTransport.Dashboard.Pages;

/// <summary>
/// Counts sampled while someone watches the overview (at most one sample per queue every few seconds, ten minutes
/// kept in memory), from which the overview shows how the backlog and the error queue moved over the last minutes.
/// Nothing extra is read from Redis: the samples are the counts the page reads anyway.
/// </summary>
internal sealed class QueueTrends
{
    static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(4);
    static readonly TimeSpan Keep = TimeSpan.FromMinutes(10);

    /// <summary>The window the rates cover.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    readonly ConcurrentDictionary<string, Queue<Sample>> _samples = new(StringComparer.Ordinal);
    readonly Stopwatch _clock = Stopwatch.StartNew();

    public readonly record struct Sample(TimeSpan At, long Waiting, long Error);

    public readonly record struct Trend(double WaitingPerMinute, double ErrorPerMinute, IReadOnlyList<long> Waiting, TimeSpan Covered);

    public void Record(QueueSummary queue)
    {
        var samples = _samples.GetOrAdd(queue.Name, _ => new Queue<Sample>());
        var now = _clock.Elapsed;
        lock (samples)
        {
            if (samples.Count > 0 && now - samples.Last().At < SampleEvery)
                return;
            samples.Enqueue(new Sample(now, queue.Ready + queue.Delayed, queue.Error));
            while (samples.Count > 0 && now - samples.Peek().At > Keep)
                samples.Dequeue();
        }
    }

    /// <summary>The change per minute over the window, or null until two samples at least 10 s apart exist.</summary>
    public Trend? Of(string queue)
    {
        if (!_samples.TryGetValue(queue, out var samples))
            return null;
        Sample[] window;
        lock (samples)
            window = samples.Where(s => _clock.Elapsed - s.At <= Window).ToArray();
        if (window.Length < 2)
            return null;
        var covered = window[^1].At - window[0].At;
        if (covered < TimeSpan.FromSeconds(10))
            return null;
        var minutes = covered.TotalMinutes;
        return new Trend((window[^1].Waiting - window[0].Waiting) / minutes, (window[^1].Error - window[0].Error) / minutes,
            window.Select(s => s.Waiting).ToArray(), covered);
    }
}

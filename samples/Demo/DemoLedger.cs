using System.Collections.Concurrent;
using Samples.Contracts;

namespace Samples.Demo;

/// <summary>One handler start: who handled which event, when.</summary>
public sealed record HandlerStart(string Consumer, int Number, int Urgency, string EventType, TimeSpan At);

/// <summary>Records every handler start of the demo's consumers, in the order they happened.</summary>
public sealed class DemoLedger
{
    readonly ConcurrentQueue<HandlerStart> _starts = new();
    readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>How many handler starts were recorded.</summary>
    public int Count => _starts.Count;

    /// <summary>Records that <paramref name="consumer"/> started handling <paramref name="e"/>.</summary>
    public void Record(string consumer, ISampleEvent e) =>
        _starts.Enqueue(new HandlerStart(consumer, int.Parse(e.EventId["evt-".Length..]), e.Urgency, SampleEvents.TypeOf(e), _clock.Elapsed));

    /// <summary>Everything recorded so far, and clears the ledger for the next round.</summary>
    public IReadOnlyList<HandlerStart> TakeAll()
    {
        var all = new List<HandlerStart>();
        while (_starts.TryDequeue(out var start))
            all.Add(start);
        return all;
    }

    /// <summary>The order key of an event: urgency descending, then event-type rank, then publish order.</summary>
    public static (int, int, int) OrderKey(HandlerStart start) =>
        (-start.Urgency, Array.IndexOf(EventTypes.HighestFirst, start.EventType), start.Number);

    /// <summary>
    /// Handler starts of one consumer that came after a start of a less important event: each one means a more
    /// important event was waiting while a less important one was handed out.
    /// </summary>
    public static int CountOrderViolations(IEnumerable<HandlerStart> startsOfOneConsumer)
    {
        var violations = 0;
        (int, int, int)? previous = null;
        foreach (var key in startsOfOneConsumer.Select(OrderKey))
        {
            if (previous is { } before && key.CompareTo(before) < 0)
                violations++;
            previous = key;
        }

        return violations;
    }
}

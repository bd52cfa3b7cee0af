using System.Text.Json.Serialization;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>
/// The message every contender carries. Its priority is declared the way an application would declare it (marked
/// properties), so a priority transport reads it from the message and the others get it through their own hooks.
/// </summary>
[MessagePriority(EventType = "log")]
public sealed class BenchMessage
{
    /// <summary>The event types of the workloads, highest ranked first.</summary>
    public static readonly string[] RankedEventTypes = ["alert", "transaction", "log"];

    /// <summary>Number of the message within its run, 0-based in publish order.</summary>
    public long Number { get; init; }

    /// <summary>Urgency 0..10, higher first.</summary>
    [Urgency]
    public int Urgency { get; init; }

    /// <summary>One of <see cref="RankedEventTypes"/>.</summary>
    [EventType]
    public string EventType { get; init; } = "log";

    /// <summary><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> just before the publish call.</summary>
    public long PublishedTimestamp { get; init; }

    /// <summary>How long the handler works (awaits) on this message, in milliseconds; 0 for none.</summary>
    public int WorkMilliseconds { get; init; }

    /// <summary>The rank of <see cref="EventType"/>: 0 is the most important.</summary>
    [JsonIgnore]
    public int Rank => Array.IndexOf(RankedEventTypes, EventType) is var rank and >= 0 ? rank : RankedEventTypes.Length;
}

using RedisPriorityTransport;

namespace Samples.Contracts;

/// <summary>The event types of the samples, highest ranked first.</summary>
public static class EventTypes
{
    /// <summary>Something is wrong and a person should look.</summary>
    public const string Alert = "alert";

    /// <summary>Money moved.</summary>
    public const string Transaction = "transaction";

    /// <summary>A record of what happened.</summary>
    public const string Log = "log";

    /// <summary>The ranking every sample configures: alert &gt; transaction &gt; log.</summary>
    public static readonly string[] HighestFirst = [Alert, Transaction, Log];
}

/// <summary>Fields every sample event carries, so consumers can report waiting times and order.</summary>
public interface ISampleEvent
{
    /// <summary>A readable id, such as <c>evt-42</c>.</summary>
    string EventId { get; }

    /// <summary>Urgency 0..10 of this instance.</summary>
    int Urgency { get; }

    /// <summary>When the producer created the event (for display only; ordering never uses client clocks).</summary>
    DateTimeOffset CreatedAt { get; }
}

/// <summary>An alert; urgency per instance, <c>alert</c> type.</summary>
[MessagePriority(EventType = EventTypes.Alert)]
public record AlertRaised(string EventId, [property: Urgency] int Urgency, DateTimeOffset CreatedAt, string Source, string Text) : ISampleEvent;

/// <summary>A money transaction; urgency per instance, <c>transaction</c> type.</summary>
[MessagePriority(EventType = EventTypes.Transaction)]
public record TransactionRecorded(string EventId, [property: Urgency] int Urgency, DateTimeOffset CreatedAt, string Account, decimal Amount) : ISampleEvent;

/// <summary>A log line; urgency per instance, <c>log</c> type.</summary>
[MessagePriority(EventType = EventTypes.Log)]
public record LogWritten(string EventId, [property: Urgency] int Urgency, DateTimeOffset CreatedAt, string Level, string Line) : ISampleEvent;

/// <summary>Creates random sample events.</summary>
public static class SampleEvents
{
    /// <summary>An event of random type and urgency in <paramref name="minUrgency"/>..<paramref name="maxUrgency"/>.</summary>
    public static ISampleEvent Random(Random random, int number, int minUrgency = 1, int maxUrgency = 10)
    {
        var urgency = random.Next(minUrgency, maxUrgency + 1);
        var id = $"evt-{number}";
        var now = DateTimeOffset.UtcNow;
        return random.Next(3) switch
        {
            0 => new AlertRaised(id, urgency, now, $"host-{random.Next(1, 9)}", "disk almost full"),
            1 => new TransactionRecorded(id, urgency, now, $"acct-{random.Next(1000, 9999)}", Math.Round((decimal)random.NextDouble() * 500, 2)),
            _ => new LogWritten(id, urgency, now, "info", "user signed in"),
        };
    }

    /// <summary>The event type name of a sample event.</summary>
    public static string TypeOf(ISampleEvent e) => e switch
    {
        AlertRaised => EventTypes.Alert,
        TransactionRecorded => EventTypes.Transaction,
        _ => EventTypes.Log,
    };
}

namespace RedisPriorityTransport;

/// <summary>
/// Settings of the bus added by <c>AddRedisPriorityQueue</c>. They bind from the configuration section
/// <see cref="SectionName"/>; the code callback runs after the binding and wins.
/// </summary>
public sealed class RedisPriorityQueueOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "RedisPriorityQueue";

    /// <summary>
    /// A StackExchange.Redis configuration string (hosts, <c>password=</c>, <c>user=</c>, <c>ssl=true</c>). When null, an
    /// <c>IConnectionMultiplexer</c> registered in the container is used, else <c>localhost:6379</c>.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>The prefix of every Redis key of the bus (default <c>rpt:</c>).</summary>
    public string KeyPrefix { get; set; } = PriorityQueueSettings.DefaultKeyPrefix;

    /// <summary>Event types ranked within one urgency, highest first.</summary>
    public string[] EventTypeRanking { get; set; } = [];

    /// <summary>The lease of a reserved message; renewed while its consumer runs (default 30 s).</summary>
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries (counting lease expiries) before a message goes to the error queue (default 10).</summary>
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>
    /// The largest serialized message the bus sends or publishes, in bytes (default 16 MiB); a larger one fails the call
    /// and nothing is written.
    /// </summary>
    public int MaxMessageBytes { get; set; } = PriorityQueueSettings.DefaultMaxBodyBytes;

    /// <summary>
    /// How long after a message is settled a resend of its <c>MessageId</c> to the same queue is still dropped as a
    /// duplicate, for every receive endpoint; null (the default) for only while the message is queued or in flight.
    /// </summary>
    public TimeSpan? DuplicateDetectionWindow { get; set; }

    /// <summary>The number of messages each receive endpoint handles at once; null for MassTransit's default.</summary>
    public int? ConcurrentMessageLimit { get; set; }
}

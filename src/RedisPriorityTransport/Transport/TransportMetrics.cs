using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RedisPriorityTransport.Transport;

/// <summary>The transport's instruments, on the meter <c>RedisPriorityTransport</c>.</summary>
internal static class TransportMetrics
{
    public const string MeterName = "RedisPriorityTransport";

    static readonly Meter Meter = new(MeterName);

    /// <summary>Sends and publishes not enqueued because their MessageId was already in the queue (or settled within its window).</summary>
    static readonly Counter<long> DuplicatesDropped = Meter.CreateCounter<long>("rpt.duplicates.dropped", unit: "{message}",
        description: "Sends and publishes dropped because their MessageId was already in the destination queue");

    public static void DuplicateDropped(string queueName) =>
        DuplicatesDropped.Add(1, new TagList { { "queue", queueName } });
}

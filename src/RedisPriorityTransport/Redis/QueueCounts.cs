namespace RedisPriorityTransport;

/// <summary>Counts of one queue, read atomically.</summary>
public sealed class QueueCounts
{
    internal QueueCounts(IReadOnlyDictionary<Urgency, long> readyByUrgency, long inFlight, long delayed,
        IReadOnlyDictionary<UrgencyBand, TimeSpan?> oldestReadyAgeByBand, long error = 0, long skipped = 0)
    {
        Error = error;
        Skipped = skipped;
        ReadyByUrgency = readyByUrgency;
        InFlight = inFlight;
        Delayed = delayed;
        OldestReadyAgeByBand = oldestReadyAgeByBand;
        ReadyByBand = Enum.GetValues<UrgencyBand>().ToDictionary(band => band,
            band => readyByUrgency.Where(pair => UrgencyScale.BandOf(pair.Key) == band).Sum(pair => pair.Value));
        Ready = readyByUrgency.Values.Sum();
    }

    /// <summary>Messages ready to be reserved.</summary>
    public long Ready { get; }

    /// <summary>Ready messages by urgency (every urgency present, zero when none).</summary>
    public IReadOnlyDictionary<Urgency, long> ReadyByUrgency { get; }

    /// <summary>Ready messages by reporting band.</summary>
    public IReadOnlyDictionary<UrgencyBand, long> ReadyByBand { get; }

    /// <summary>Messages reserved under a lease.</summary>
    public long InFlight { get; }

    /// <summary>Messages waiting for their due time.</summary>
    public long Delayed { get; }

    /// <summary>How long the oldest ready message of each band has waited; null for an empty band.</summary>
    public IReadOnlyDictionary<UrgencyBand, TimeSpan?> OldestReadyAgeByBand { get; }

    /// <summary>Messages in the queue's <c>_error</c> queue (read in the same snapshot).</summary>
    public long Error { get; }

    /// <summary>Messages in the queue's <c>_skipped</c> queue (read in the same snapshot).</summary>
    public long Skipped { get; }
}

namespace RedisPriorityTransport;

/// <summary>What <see cref="RedisPriorityQueue.AcknowledgeAndReserveAsync"/> did.</summary>
/// <param name="Acknowledged">Per acknowledgement, in the order given: true when deleted, false when its lease was no longer held.</param>
/// <param name="Reserved">The messages reserved after the acknowledgements.</param>
public sealed record AcknowledgeAndReserveResult(IReadOnlyList<bool> Acknowledged, ReserveResult Reserved)
{
    /// <summary>What the reserve's housekeeping did with expired leases (for the transport's metrics).</summary>
    internal ReclaimResult Reclaimed { get; init; }

    /// <summary>
    /// Records the script handed out, readable or not (an unreadable one goes to the skipped queue and is not among
    /// <see cref="ReserveResult.Messages"/>): the count the script's sleeper registration went by.
    /// </summary>
    internal int HandedOut { get; init; }
}

namespace RedisPriorityTransport;

/// <summary>What <see cref="RedisPriorityQueue.AcknowledgeAndReserveAsync"/> did.</summary>
/// <param name="Acknowledged">Per acknowledgement, in the order given: true when deleted, false when its lease was no longer held.</param>
/// <param name="Reserved">The messages reserved after the acknowledgements.</param>
public sealed record AcknowledgeAndReserveResult(IReadOnlyList<bool> Acknowledged, ReserveResult Reserved)
{
    /// <summary>What the reserve's housekeeping did with expired leases (for the transport's metrics).</summary>
    internal ReclaimResult Reclaimed { get; init; }
}

namespace RedisPriorityTransport;

/// <summary>What one reclaim pass did with expired leases.</summary>
/// <param name="Returned">Messages put back in the ready set at their original place.</param>
/// <param name="DeadLettered">Messages moved to the error queue because they reached the maximum delivery count.</param>
public readonly record struct ReclaimResult(int Returned, int DeadLettered);

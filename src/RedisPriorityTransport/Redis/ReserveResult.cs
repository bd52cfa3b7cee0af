namespace RedisPriorityTransport;

/// <summary>What one reserve call returned.</summary>
/// <param name="Messages">The reserved messages in priority order; empty when nothing was ready.</param>
/// <param name="NextDelayedDueIn">How long until the earliest delayed message is due, when there is one.</param>
public sealed record ReserveResult(IReadOnlyList<ReservedMessage> Messages, TimeSpan? NextDelayedDueIn);

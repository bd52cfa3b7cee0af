namespace RedisPriorityTransport;

/// <summary>One page of a browse.</summary>
/// <param name="Messages">The messages of this page, in the state's order.</param>
/// <param name="NextCursor">Pass to the next browse for the following page; null on the last page.</param>
public sealed record MessagePage(IReadOnlyList<MessageSummary> Messages, string? NextCursor);

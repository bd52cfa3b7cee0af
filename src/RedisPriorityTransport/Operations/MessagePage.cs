namespace RedisPriorityTransport;

/// <summary>One page of a browse.</summary>
/// <param name="Messages">The messages of this page, in the state's order.</param>
/// <param name="NextCursor">
/// Pass to the next browse for the following page; null on the last page. A filtered page may hold fewer messages than
/// asked (even none) and still have a cursor: the browse stopped at its scan limit.
/// </param>
public sealed record MessagePage(IReadOnlyList<MessageSummary> Messages, string? NextCursor);

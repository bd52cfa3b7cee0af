namespace RedisPriorityTransport;

/// <summary>The outcome of one enqueue.</summary>
/// <param name="Id">The message id.</param>
/// <param name="Added">
/// True when the message was stored; false when its id was already waiting, delayed or in flight, or settled within the
/// duplicate detection window.
/// </param>
public readonly record struct EnqueueResult(string Id, bool Added)
{
    /// <summary>True when the message was not stored because its id was already queued.</summary>
    public bool IsDuplicate => !Added;
}

namespace RedisPriorityTransport;

/// <summary>Where a message is in its queue.</summary>
public enum MessageState
{
    /// <summary>Waiting to be delivered, in priority order.</summary>
    Ready = 0,
    /// <summary>Waiting for its due time (scheduled, or redelivered later).</summary>
    Delayed = 1,
    /// <summary>Delivered to a consumer under a lease.</summary>
    InFlight = 2,
    /// <summary>In the queue's <c>_error</c> queue after a fault.</summary>
    Error = 3,
    /// <summary>In the queue's <c>_skipped</c> queue: no consumer took it, or it could not be read.</summary>
    Skipped = 4,
}

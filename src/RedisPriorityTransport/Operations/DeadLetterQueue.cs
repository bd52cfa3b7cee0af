namespace RedisPriorityTransport;

/// <summary>The two queues a failed message can land in, beside its queue.</summary>
public enum DeadLetterQueue
{
    /// <summary>The <c>_error</c> queue: the consumer faulted.</summary>
    Error = 0,
    /// <summary>The <c>_skipped</c> queue: no consumer took the message, or it could not be read.</summary>
    Skipped = 1,
}

namespace RedisPriorityTransport;

/// <summary>What an audit entry records.</summary>
public enum AuditAction
{
    /// <summary>A waiting message's urgency changed.</summary>
    ChangePriority = 0,
    /// <summary>A waiting message was cancelled (removed).</summary>
    Cancel = 1,
    /// <summary>A message was moved from the error or skipped queue back to the queue.</summary>
    Redrive = 2,
    /// <summary>A state of the queue was purged.</summary>
    Purge = 3,
    /// <summary>The queue was paused.</summary>
    Pause = 4,
    /// <summary>The queue was resumed.</summary>
    Resume = 5,
    /// <summary>The queue's rate limit was set or removed.</summary>
    SetRateLimit = 6,
}

namespace RedisPriorityTransport.Monitoring;

/// <summary>Why a message left its queue for the error or skipped queue: the <c>rpt.reason</c> attribute.</summary>
internal enum DeadLetterReason
{
    /// <summary>A consumer faulted and MassTransit moved the message to <c>_error</c>.</summary>
    Error,

    /// <summary>No consumer took the message and it went to <c>_skipped</c>.</summary>
    Skipped,

    /// <summary>Its lease expired on its last allowed delivery and the queue moved it to <c>_error</c>.</summary>
    MaxDeliveries,
}

namespace MassTransit;

/// <summary>Configures one receive endpoint (one Redis priority queue).</summary>
public interface IRedisReceiveEndpointConfigurator : IReceiveEndpointConfigurator
{
    /// <summary>
    /// How long a reserved message stays leased to this endpoint before another consumer may take it. The lease is renewed
    /// automatically while a consumer runs, so it only bounds how long a crashed process delays a message.
    /// </summary>
    /// <remarks>100 ms or less fails the bus's configuration check, which lists every bad setting at once.</remarks>
    TimeSpan LockDuration { set; }

    /// <summary>How many deliveries a message gets (counting lease expiries) before it goes to the error queue.</summary>
    /// <remarks>Zero or less fails the bus's configuration check.</remarks>
    int MaxDeliveryCount { set; }

    /// <summary>
    /// How long after a message is settled here (consumed, moved to the error or skipped queue, or dead-lettered) a
    /// send or publish of its <c>MessageId</c> to this queue is still dropped as a duplicate. Off (null) unless set:
    /// then a MessageId is a duplicate only while its message is waiting, delayed or in flight. Each id remembered costs
    /// Redis memory for the window (about 145 bytes for a Guid id, see docs/transport.md).
    /// </summary>
    /// <remarks>A window that is not positive fails the bus's configuration check (a <c>ConfigurationException</c> listing every bad setting).</remarks>
    TimeSpan? DuplicateDetectionWindow { set; }

    /// <summary>
    /// How long a consumer may hold one message (12 hours unless set). The lease is renewed while the consumer runs; past
    /// this the transport stops renewing and gives the message back to its place in the queue, so a hung handler cannot
    /// hold it forever, and that handler's lock context reports the lease lost. Must be longer than <see cref="LockDuration"/>.
    /// </summary>
    /// <remarks>A value that is not longer than <see cref="LockDuration"/> fails the bus's configuration check.</remarks>
    TimeSpan MaxLockDuration { set; }

    /// <summary>Deletes every waiting message of the queue when the endpoint starts.</summary>
    bool PurgeOnStartup { set; }

    /// <summary>Subscribes the queue to messages of <typeparamref name="T"/> published on the bus (done for consumed types automatically).</summary>
    /// <typeparam name="T">The message type.</typeparam>
    void Subscribe<T>() where T : class;
}

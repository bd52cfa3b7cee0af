using MassTransit;
using MassTransit.Transports;
using RedisPriorityTransport.Monitoring;

namespace RedisPriorityTransport.Transport;

/// <summary>
/// The lease on one reserved message. Exactly one of acknowledge, release or move happens; later calls do nothing
/// (MassTransit completes a message after moving it to the error queue, for example).
/// </summary>
internal sealed class RedisReceiveLockContext(RedisPriorityQueue queue, ReservedMessage message, QueueConsumer consumer) : ReceiveLockContext
{
    int _settled;
    int _slotReturned;
    volatile bool _leaseLost;

    public ReservedMessage Message => message;

    public bool IsSettled => Volatile.Read(ref _settled) == 1;

    public void LeaseLost() => _leaseLost = true;

    /// <summary>True the first time only: the message's concurrency slot goes back exactly once.</summary>
    public bool TryReturnSlot() => Interlocked.Exchange(ref _slotReturned, 1) == 0;

    public Task Complete() => TrySettle() ? consumer.AcknowledgeAsync(queue, this) : Task.CompletedTask;

    public async Task Faulted(Exception exception)
    {
        if (!TrySettle())
            return;
        try
        {
            // A consumer cancelled by shutdown has not failed: the message goes back to its place uncounted.
            var countDelivery = !(consumer.IsShuttingDown && exception is OperationCanceledException);
            await queue.ReleaseAsync(message.Id, message.LeaseToken, countDelivery: countDelivery).ConfigureAwait(false);
        }
        catch (Exception releaseException) when (QueueConsumer.IsTransient(releaseException))
        {
            // The lease expires and the queue redelivers the message.
        }
    }

    public Task ValidateLockStatus() =>
        _leaseLost
            ? throw new TransportException(new Uri($"queue:{message.QueueName}"), $"The lease on message {message.Id} expired and another consumer may hold it.")
            : Task.CompletedTask;

    /// <summary>Moves the message to its error or skipped queue with its priority, adding <paramref name="headers"/>.</summary>
    public async Task MoveTo(string destinationQueue, string reason, IReadOnlyDictionary<string, string> headers)
    {
        if (!TrySettle())
            return;
        var moved = await queue.MoveAsync(message.Id, message.LeaseToken, destinationQueue, reason, headers).ConfigureAwait(false);
        if (moved is null)
            throw new TransportException(new Uri($"queue:{message.QueueName}"),
                $"Message {message.Id} could not be moved to '{destinationQueue}': its lease was lost.");
        TransportMetrics.MessageDeadLettered(message.QueueName,
            destinationQueue == queue.SkippedQueueName ? DeadLetterReason.Skipped : DeadLetterReason.Error);
    }

    bool TrySettle() => Interlocked.Exchange(ref _settled, 1) == 0;
}

/// <summary>Moves faulted messages to <c>QUEUE_error</c> with MassTransit's fault headers.</summary>
internal sealed class RedisErrorTransport(string errorQueueName) : IErrorTransport
{
    public async Task Send(ExceptionReceiveContext context)
    {
        var lockContext = context.GetPayload<RedisReceiveLockContext>();
        var headers = TransportHeaders.ToStrings(context.ExceptionHeaders);
        headers.Remove(MessageHeaders.Reason, out var reason);
        await lockContext.MoveTo(errorQueueName, reason ?? "fault", headers).ConfigureAwait(false);
    }
}

/// <summary>Moves messages no consumer took (skipped) to <c>QUEUE_skipped</c>.</summary>
internal sealed class RedisDeadLetterTransport(string skippedQueueName) : IDeadLetterTransport
{
    public async Task Send(ReceiveContext context, string reason)
    {
        var lockContext = context.GetPayload<RedisReceiveLockContext>();
        await lockContext.MoveTo(skippedQueueName, string.IsNullOrWhiteSpace(reason) ? "dead-letter" : reason,
            new Dictionary<string, string>()).ConfigureAwait(false);
    }
}

using MassTransit;
using MassTransit.Transports;
using RedisPriorityTransport.Monitoring;

namespace RedisPriorityTransport.Transport;

/// <summary>
/// The lease on one reserved message. Exactly one of acknowledge, release, redelivery or move happens; later calls do
/// nothing (MassTransit completes a message after moving it to the error queue or scheduling its redelivery, for
/// example). As the receive context's payload it is also MassTransit's <see cref="MessageRedeliveryContext"/>, so
/// <c>UseDelayedRedelivery</c>, <c>UseScheduledRedelivery</c> and <c>Redeliver</c> give the same record back to the
/// queue's delayed set instead of sending a copy.
/// </summary>
internal sealed class RedisReceiveLockContext(RedisPriorityQueue queue, ReservedMessage message, QueueConsumer consumer)
    : ReceiveLockContext, MessageRedeliveryContext
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
        catch (Exception releaseException) when (RedisFaults.IsTransient(releaseException))
        {
            // The lease expires and the queue redelivers the message.
        }
    }

    /// <summary>The redelivery count the message arrived with (<c>MT-Redelivery-Count</c>, 0 when absent).</summary>
    public int RedeliveryCount =>
        message.Headers.TryGetValue(MessageHeaders.RedeliveryCount, out var text)
        && int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var count)
        && count >= 0
            ? count
            : 0;

    // MassTransit's SQL transport ignores the callback too: there is no send context, the record itself goes back.
    public Task ScheduleRedelivery(TimeSpan delay, Action<ConsumeContext, SendContext>? callback = null) =>
        Redeliver(delay, RedeliveryCount + 1);

    /// <summary>
    /// Gives the message back to its queue's delayed set for <paramref name="delay"/>, with <c>MT-Redelivery-Count</c>
    /// set to <paramref name="redeliveryCount"/>, in one script: same id, same record, and when due it is ready at its
    /// original place within its class. The redelivery does not count as a failed delivery (that count is for leases
    /// that expire). When the lease was already lost the message comes back through its expiry instead.
    /// </summary>
    public async Task Redeliver(TimeSpan delay, int redeliveryCount)
    {
        if (!TrySettle())
            return;
        if (delay < TimeSpan.Zero)
            delay = TimeSpan.Zero;
        try
        {
            var headers = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [MessageHeaders.RedeliveryCount] = redeliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var released = await queue.ReleaseAsync(message.Id, message.LeaseToken, delay, countDelivery: false, headers).ConfigureAwait(false);
            if (released)
                LogContext.Debug?.Log("REDELIVER {QueueName} {MessageId} (delay: {Delay}, redelivery {RedeliveryCount})", message.QueueName, message.Id, delay,
                    redeliveryCount);
            else
                LogContext.Warning?.Log("Message {MessageId} on {QueueName} could not be redelivered: its lease was lost; it returns when the lease expires",
                    message.Id, message.QueueName);
        }
        catch (Exception exception) when (RedisFaults.IsTransient(exception))
        {
            LogContext.Warning?.Log(exception, "Redelivering message {MessageId} on {QueueName} failed; it returns when its lease expires",
                message.Id, message.QueueName);
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

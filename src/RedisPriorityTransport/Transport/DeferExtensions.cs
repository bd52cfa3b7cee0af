using MassTransit;
using MassTransit.Middleware;

namespace RedisPriorityTransport;

/// <summary>Puts the message being consumed back on its queue for later, through the queue's delayed set.</summary>
public static class DeferExtensions
{
    /// <summary>
    /// Re-enqueues the message being consumed on its own queue, due after <paramref name="delay"/>, with its headers (and
    /// so its priority) and an incremented redelivery count; the current delivery then completes normally.
    /// </summary>
    /// <param name="context">The consume context of the message to defer.</param>
    /// <param name="delay">How long the message waits in the delayed set before it is ready again.</param>
    /// <param name="callback">Optional changes to the re-sent message.</param>
    public static Task Defer<T>(this ConsumeContext<T> context, TimeSpan delay, Action<ConsumeContext, SendContext>? callback = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        if (delay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "The delay must not be negative.");
        MessageRedeliveryContext redelivery = new DelayedMessageRedeliveryContext<T>(context, RedeliveryOptions.None);
        return redelivery.ScheduleRedelivery(delay, callback);
    }
}

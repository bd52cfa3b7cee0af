namespace RedisPriorityTransport.Redis;

/// <summary>
/// A consumer's standing offer to take up to <see cref="MaxMessages"/> messages of a queue under a lease, made while it
/// waits for the queue to fill. The next enqueue call to that queue from this process takes the offer and reserves
/// for it in its own script call (enqueue_and_reserve): the consumer gets the messages in the enqueue's round trip,
/// with no wake-up notification and no reserve call of its own. A consumer withdraws its offer when its wait ends; if
/// the withdrawal fails, a sender took it and <see cref="Result"/> brings the reply.
/// </summary>
internal sealed class ReserveOffer
{
    // The consumer resumes on the thread that read the reserve: the senders are completed by another continuation of the
    // same reply, so they do not wait for it, and a hop here would only add latency.
    readonly TaskCompletionSource<AcknowledgeAndReserveResult> _result = new();

    public ReserveOffer(RedisPriorityQueue receiver, int maxMessages, TimeSpan lease)
    {
        Receiver = receiver;
        MaxMessages = maxMessages;
        Lease = lease;
    }

    /// <summary>The consumer's queue instance: its settings and lease tokens apply to the reserve.</summary>
    public RedisPriorityQueue Receiver { get; }

    public int MaxMessages { get; }

    public TimeSpan Lease { get; }

    /// <summary>The reserve made for the offer once a sender took it.</summary>
    public Task<AcknowledgeAndReserveResult> Result => _result.Task;

    internal async Task CompleteFrom(Task<AcknowledgeAndReserveResult> reserve)
    {
        try
        {
            _result.TrySetResult(await reserve.ConfigureAwait(false));
        }
        catch (Exception exception)
        {
            _result.TrySetException(exception);
        }
    }
}

using MassTransit;
using MassTransit.Transports;

namespace RedisPriorityTransport.Transport;

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

using MassTransit;
using MassTransit.Transports;

namespace RedisPriorityTransport.Transport;

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

using MassTransit;
using MassTransit.Transports;

namespace RedisPriorityTransport.Transport;

/// <summary>Receives from one Redis priority queue: starts a <see cref="QueueConsumer"/> each time the endpoint starts.</summary>
internal sealed class RedisReceiveTransport(RedisReceiveEndpointContext context) : IReceiveTransport
{
    public void Probe(ProbeContext probeContext)
    {
        var scope = probeContext.CreateScope("receiveTransport");
        scope.Add("type", "Redis");
        scope.Set(new { Address = context.InputAddress, context.ConcurrentMessageLimit, context.Configuration.Settings.LockDuration, context.Configuration.Settings.MaxLockDuration });
    }

    public ReceiveTransportHandle Start() => new QueueConsumer(context);

    public ConnectHandle ConnectReceiveObserver(IReceiveObserver observer) => context.ConnectReceiveObserver(observer);

    public ConnectHandle ConnectReceiveTransportObserver(IReceiveTransportObserver observer) => context.ConnectReceiveTransportObserver(observer);

    public ConnectHandle ConnectPublishObserver(IPublishObserver observer) => context.ConnectPublishObserver(observer);

    public ConnectHandle ConnectSendObserver(ISendObserver observer) => context.ConnectSendObserver(observer);
}

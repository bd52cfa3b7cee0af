using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Transports;
using RedisPriorityTransport.Monitoring;
using StackExchange.Redis;

namespace RedisPriorityTransport.Transport;

internal sealed class RedisPublishTransportProvider(RedisHostConfiguration host, ReceiveEndpointContext context) : IPublishTransportProvider
{
    public Task<ISendTransport> GetPublishTransport<T>(Uri? publishAddress) where T : class =>
        host.Transport.CreatePublishTransport<T>(context, publishAddress);
}

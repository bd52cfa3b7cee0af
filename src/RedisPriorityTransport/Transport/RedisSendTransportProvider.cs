using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Transports;
using RedisPriorityTransport.Monitoring;
using StackExchange.Redis;

namespace RedisPriorityTransport.Transport;

internal sealed class RedisSendTransportProvider(RedisHostConfiguration host, ReceiveEndpointContext context) : ISendTransportProvider
{
    public Uri NormalizeAddress(Uri address) => host.Transport.NormalizeAddress(address);

    public Task<ISendTransport> GetSendTransport(Uri address) => host.Transport.CreateSendTransport(context, address);
}

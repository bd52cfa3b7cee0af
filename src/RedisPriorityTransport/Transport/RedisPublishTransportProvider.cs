using MassTransit.Transports;

namespace RedisPriorityTransport.Transport;

internal sealed class RedisPublishTransportProvider(RedisHostConfiguration host, ReceiveEndpointContext context) : IPublishTransportProvider
{
    public Task<ISendTransport> GetPublishTransport<T>(Uri? publishAddress) where T : class =>
        host.Transport.CreatePublishTransport<T>(context, publishAddress);
}

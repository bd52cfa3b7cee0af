using MassTransit.Transports;

namespace RedisPriorityTransport.Transport;

internal sealed class RedisSendTransportProvider(RedisHostConfiguration host, ReceiveEndpointContext context) : ISendTransportProvider
{
    public Uri NormalizeAddress(Uri address) => host.Transport.NormalizeAddress(address);

    public Task<ISendTransport> GetSendTransport(Uri address) => host.Transport.CreateSendTransport(context, address);
}

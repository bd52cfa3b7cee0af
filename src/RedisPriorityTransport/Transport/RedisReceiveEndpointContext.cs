using MassTransit;
using MassTransit.Transports;

namespace RedisPriorityTransport.Transport;

/// <summary>The context shared by everything that receives on one endpoint.</summary>
internal sealed class RedisReceiveEndpointContext : BaseReceiveEndpointContext
{
    readonly RedisHostConfiguration _hostConfiguration;

    public RedisReceiveEndpointContext(RedisHostConfiguration hostConfiguration, RedisReceiveEndpointConfiguration configuration,
        IReadOnlyList<string> subscribedTopics)
        : base(hostConfiguration, configuration)
    {
        _hostConfiguration = hostConfiguration;
        Configuration = configuration;
        SubscribedTopics = subscribedTopics;
    }

    public RedisReceiveEndpointConfiguration Configuration { get; }

    public RedisTransportProvider Transport => _hostConfiguration.Transport;

    public IReadOnlyList<string> SubscribedTopics { get; }

    /// <summary>The host's retry policy for the receive loop (MassTransit's exponential policy).</summary>
    public MassTransit.RetryPolicies.ExponentialRetryPolicy RetryPolicy => _hostConfiguration.ReceiveRetryPolicy;

    public ISendTopology SendTopology => Configuration.RedisTopology.Send;

    public override void AddSendAgent(IAgent agent) => Transport.Add(agent);

    public override void AddConsumeAgent(IAgent agent) => Transport.Add(agent);

    public override Exception ConvertException(Exception exception, string message) =>
        exception is StackExchange.Redis.RedisConnectionException or TimeoutException
            ? new ConnectionException(message + ": " + exception.Message, exception)
            : exception;

    protected override ISendTransportProvider CreateSendTransportProvider() => new RedisSendTransportProvider(_hostConfiguration, this);

    protected override IPublishTransportProvider CreatePublishTransportProvider() => new RedisPublishTransportProvider(_hostConfiguration, this);
}

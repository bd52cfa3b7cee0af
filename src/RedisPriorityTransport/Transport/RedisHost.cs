using MassTransit;
using MassTransit.Transports;

namespace RedisPriorityTransport.Transport;

/// <summary>The running host of a Redis bus: its receive endpoints and its connection.</summary>
internal sealed class RedisHost(RedisHostConfiguration hostConfiguration, IBusTopology topology)
    : BaseHost(hostConfiguration, topology), IHost<IRedisReceiveEndpointConfigurator>
{
    public override HostReceiveEndpointHandle ConnectReceiveEndpoint(IEndpointDefinition definition,
        IEndpointNameFormatter? endpointNameFormatter, Action<IReceiveEndpointConfigurator>? configureEndpoint = null) =>
        ConnectReceiveEndpoint(definition, endpointNameFormatter, (IRedisReceiveEndpointConfigurator configurator) => configureEndpoint?.Invoke(configurator));

    public HostReceiveEndpointHandle ConnectReceiveEndpoint(IEndpointDefinition definition, IEndpointNameFormatter? endpointNameFormatter,
        Action<IRedisReceiveEndpointConfigurator>? configureEndpoint = null)
    {
        var queueName = definition.GetEndpointName(endpointNameFormatter ?? DefaultEndpointNameFormatter.Instance);
        return ConnectReceiveEndpoint(queueName, configurator =>
        {
            hostConfiguration.ApplyEndpointDefinition(configurator, definition);
            configureEndpoint?.Invoke(configurator);
        });
    }

    public override HostReceiveEndpointHandle ConnectReceiveEndpoint(string queueName,
        Action<IReceiveEndpointConfigurator>? configureEndpoint = null) =>
        ConnectReceiveEndpoint(queueName, (IRedisReceiveEndpointConfigurator configurator) => configureEndpoint?.Invoke(configurator));

    public HostReceiveEndpointHandle ConnectReceiveEndpoint(string queueName, Action<IRedisReceiveEndpointConfigurator>? configure = null)
    {
        LogContext.SetCurrentIfNull(hostConfiguration.LogContext);
        var configuration = hostConfiguration.CreateReceiveEndpointConfiguration(queueName, configure);
        configuration.Validate().ThrowIfContainsFailure("The receive endpoint configuration is invalid:");
        configuration.Build(this);
        return ReceiveEndpoints.Start(queueName);
    }

    protected override void Probe(ProbeContext context)
    {
        context.Add("type", "Redis");
        context.Add("hostAddress", hostConfiguration.HostAddress);
        context.Add("keyPrefix", hostConfiguration.Settings.KeyPrefix);
    }

    protected override IAgent[] GetAgentHandles() => [hostConfiguration.Transport];
}

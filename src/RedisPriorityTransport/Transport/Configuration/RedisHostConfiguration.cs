using MassTransit;
using MassTransit.Configuration;
using MassTransit.RetryPolicies;
using MassTransit.RetryPolicies.ExceptionFilters;
using MassTransit.Transports;
using MassTransit.Util;
using StackExchange.Redis;

namespace RedisPriorityTransport.Transport;

/// <summary>Host-level configuration: connection settings, endpoint defaults, the configured receive endpoints.</summary>
internal sealed class RedisHostConfiguration
    : BaseHostConfiguration<RedisReceiveEndpointConfiguration, IRedisReceiveEndpointConfigurator>
{
    readonly RedisBusConfiguration _busConfiguration;
    readonly RedisBusTopology _topology;
    readonly Recycle<RedisTransportProvider> _transport;

    public RedisHostConfiguration(RedisBusConfiguration busConfiguration, RedisTopologyConfiguration topology)
        : base(busConfiguration)
    {
        _busConfiguration = busConfiguration;
        _topology = new RedisBusTopology(this, topology);
        // A stopped provider is replaced on next use, so a bus can be stopped and started again.
        _transport = new Recycle<RedisTransportProvider>(() => new RedisTransportProvider(this));
        // The receive loop's own retries (starting an endpoint, reserving) follow this policy: they begin at about
        // 200 ms, so a Redis that restarts is used again within a second, and level off at 5 s; they never give up.
        ReceiveRetryPolicy = new ExponentialRetryPolicy(
            new FilterExceptionFilter<Exception>(RedisFaults.IsTransient),
            int.MaxValue, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
    }

    public RedisHostSettings Settings { get; } = new();

    public TimeSpan DefaultLockDuration { get; set; } = RedisReceiveSettings.DefaultLockDuration;

    public int? DefaultMaxDeliveryCount { get; set; }

    public TimeSpan DefaultMaxLockDuration { get; set; } = RedisReceiveSettings.DefaultMaxLockDuration;

    /// <summary>The connection, queues and subscription registry, created when the bus is built.</summary>
    public RedisTransportProvider Transport => _transport.Supervisor;

    public override Uri HostAddress => Settings.HostAddress;

    public override IBusTopology Topology => _topology;

    public override IRetryPolicy ReceiveTransportRetryPolicy => ReceiveRetryPolicy;

    /// <summary>When a receive loop retries after a Redis failure, and which failures are worth retrying.</summary>
    public ExponentialRetryPolicy ReceiveRetryPolicy { get; }

    public RedisTopologyConfiguration BusTopologyConfiguration => _busConfiguration.RedisTopology;

    public void ApplyEndpointDefinition(IRedisReceiveEndpointConfigurator configurator, IEndpointDefinition definition)
    {
        if (definition.IsTemporary && configurator is RedisReceiveEndpointConfiguration configuration)
            configuration.Settings.DeleteOnStop = true;
        base.ApplyEndpointDefinition(configurator, definition);
    }

    public RedisReceiveEndpointConfiguration CreateReceiveEndpointConfiguration(string queueName,
        Action<IRedisReceiveEndpointConfigurator>? configure) =>
        CreateReceiveEndpointConfiguration(queueName, _busConfiguration.CreateEndpointConfiguration(), configure);

    public RedisReceiveEndpointConfiguration CreateReceiveEndpointConfiguration(string queueName,
        RedisEndpointConfiguration endpointConfiguration, Action<IRedisReceiveEndpointConfigurator>? configure)
    {
        QueueNames.ValidateQueueName(queueName, nameof(queueName));
        var configuration = new RedisReceiveEndpointConfiguration(this, queueName, endpointConfiguration)
        {
            LockDuration = DefaultLockDuration,
            MaxLockDuration = DefaultMaxLockDuration,
        };
        if (DefaultMaxDeliveryCount is { } max)
            configuration.MaxDeliveryCount = max;
        configure?.Invoke(configuration);
        Observers.EndpointConfigured(configuration);
        Add(configuration);
        return configuration;
    }

    public override void ReceiveEndpoint(IEndpointDefinition definition, IEndpointNameFormatter? endpointNameFormatter,
        Action<IRedisReceiveEndpointConfigurator>? configureEndpoint = null)
    {
        var queueName = definition.GetEndpointName(endpointNameFormatter ?? DefaultEndpointNameFormatter.Instance);
        ReceiveEndpoint(queueName, configurator =>
        {
            ApplyEndpointDefinition(configurator, definition);
            configureEndpoint?.Invoke(configurator);
        });
    }

    public override void ReceiveEndpoint(string queueName, Action<IRedisReceiveEndpointConfigurator>? configureEndpoint) =>
        CreateReceiveEndpointConfiguration(queueName, configureEndpoint);

    public override IReceiveEndpointConfiguration CreateReceiveEndpointConfiguration(string queueName,
        Action<IReceiveEndpointConfigurator>? configure) =>
        CreateReceiveEndpointConfiguration(queueName, configure);

    public override IHost Build()
    {
        var host = new RedisHost(this, _topology);
        foreach (var endpointConfiguration in GetConfiguredEndpoints())
            endpointConfiguration.Build(host);
        return host;
    }
}

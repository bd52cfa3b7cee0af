using MassTransit;
using MassTransit.Configuration;
using MassTransit.Topology;
using MassTransit.Transports;
using StackExchange.Redis;

namespace RedisPriorityTransport.Transport;

/// <summary>What <c>UsingRedis</c> hands to the application: host, ranking, endpoint defaults and receive endpoints.</summary>
internal sealed class RedisBusFactoryConfigurator : BusFactoryConfigurator, IRedisBusFactoryConfigurator, IBusFactory
{
    readonly RedisBusConfiguration _busConfiguration;
    readonly RedisHostConfiguration _hostConfiguration;

    public RedisBusFactoryConfigurator(RedisBusConfiguration busConfiguration)
        : base(busConfiguration)
    {
        _busConfiguration = busConfiguration;
        _hostConfiguration = busConfiguration.HostConfiguration;
    }

    public string KeyPrefix
    {
        set => _hostConfiguration.Settings.KeyPrefix = QueueNames.ValidateKeyPrefix(value);
    }

    public TimeSpan LockDuration
    {
        set => _hostConfiguration.DefaultLockDuration = value;
    }

    public int MaxDeliveryCount
    {
        set => _hostConfiguration.DefaultMaxDeliveryCount = value;
    }

    public int MaxMessageBytes
    {
        set => _hostConfiguration.Settings.MaxMessageBytes = value;
    }

    public IReceiveEndpointConfiguration CreateBusEndpointConfiguration(Action<IReceiveEndpointConfigurator> configure)
    {
        var queueName = _busConfiguration.RedisTopology.Consume.CreateTemporaryQueueName("bus");
        return _hostConfiguration.CreateReceiveEndpointConfiguration(queueName, _busConfiguration.BusEndpointConfiguration, configurator =>
        {
            ((RedisReceiveEndpointConfiguration)configurator).DeleteOnStop = true;
            configure(configurator);
        });
    }

    public void Host(string configuration, Action<IRedisHostConfigurator>? configure = null)
    {
        if (string.IsNullOrWhiteSpace(configuration))
            throw new ArgumentException("A Redis configuration string is required, for example 'localhost:6379'.", nameof(configuration));
        Host(ConfigurationOptions.Parse(configuration), configure);
    }

    public void Host(ConfigurationOptions options, Action<IRedisHostConfigurator>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hostConfiguration.Settings.Options = options;
        _hostConfiguration.Settings.Connection = null;
        configure?.Invoke(_hostConfiguration.Settings);
    }

    public void Host(IConnectionMultiplexer connection, Action<IRedisHostConfigurator>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _hostConfiguration.Settings.Connection = connection;
        _hostConfiguration.Settings.Options = null;
        configure?.Invoke(_hostConfiguration.Settings);
    }

    public void RankEventTypes(params string[] highestFirst) => _hostConfiguration.Settings.Ranking = new EventTypeRanking(highestFirst);

    public void ReceiveEndpoint(IEndpointDefinition definition, IEndpointNameFormatter? endpointNameFormatter,
        Action<IRedisReceiveEndpointConfigurator>? configureEndpoint = null) =>
        _hostConfiguration.ReceiveEndpoint(definition, endpointNameFormatter, configureEndpoint);

    public void ReceiveEndpoint(IEndpointDefinition definition, IEndpointNameFormatter? endpointNameFormatter,
        Action<IReceiveEndpointConfigurator>? configureEndpoint = null) =>
        _hostConfiguration.ReceiveEndpoint(definition, endpointNameFormatter, configureEndpoint);

    public void ReceiveEndpoint(string queueName, Action<IRedisReceiveEndpointConfigurator> configureEndpoint) =>
        _hostConfiguration.ReceiveEndpoint(queueName, configureEndpoint);

    public void ReceiveEndpoint(string queueName, Action<IReceiveEndpointConfigurator> configureEndpoint) =>
        _hostConfiguration.ReceiveEndpoint(queueName, configureEndpoint);
}

/// <summary>Creates the Redis bus from the container registration (<c>UsingRedis</c>).</summary>
internal sealed class RedisRegistrationBusFactory : TransportRegistrationBusFactory<IRedisReceiveEndpointConfigurator>
{
    readonly RedisBusConfiguration _busConfiguration;
    readonly Action<IBusRegistrationContext, IRedisBusFactoryConfigurator>? _configure;

    public RedisRegistrationBusFactory(Action<IBusRegistrationContext, IRedisBusFactoryConfigurator>? configure)
        : this(new RedisBusConfiguration(new RedisTopologyConfiguration(new MessageTopology(new MessageUrnEntityNameFormatter()))), configure)
    {
    }

    RedisRegistrationBusFactory(RedisBusConfiguration busConfiguration, Action<IBusRegistrationContext, IRedisBusFactoryConfigurator>? configure)
        : base(busConfiguration.HostConfiguration)
    {
        _busConfiguration = busConfiguration;
        _configure = configure;
    }

    /// <summary>The bus's host configuration: its connection and key prefix, which the admin API uses too.</summary>
    public RedisHostConfiguration HostConfiguration => _busConfiguration.HostConfiguration;

    /// <summary>True once <see cref="CreateBus"/> has run, so the host settings are the application's.</summary>
    public bool BusCreated { get; private set; }

    public override IBusInstance CreateBus(IBusRegistrationContext context, IEnumerable<IBusInstanceSpecification> specifications, string busName)
    {
        var configurator = new RedisBusFactoryConfigurator(_busConfiguration);
        // A connection registered in the container is used unless the application names a host.
        _busConfiguration.HostConfiguration.Settings.ConnectionFromServices =
            () => (IConnectionMultiplexer?)context.GetService(typeof(IConnectionMultiplexer));
        var bus = CreateBus(configurator, context, _configure, specifications);
        BusCreated = true;
        return bus;
    }
}

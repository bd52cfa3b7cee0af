using MassTransit;
using MassTransit.Configuration;
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

    public TimeSpan? DuplicateDetectionWindow
    {
        set => _hostConfiguration.Settings.DuplicateDetectionWindow = value;
    }

    public TimeSpan MaxLockDuration
    {
        set => _hostConfiguration.DefaultMaxLockDuration = value;
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
            ((RedisReceiveEndpointConfiguration)configurator).Settings.DeleteOnStop = true;
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

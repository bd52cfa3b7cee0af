using MassTransit;
using MassTransit.Configuration;
using MassTransit.Transports;

namespace RedisPriorityTransport.Transport;

/// <summary>The configuration of one receive endpoint: one Redis priority queue and its consumers.</summary>
internal sealed class RedisReceiveEndpointConfiguration : ReceiveEndpointConfiguration, IRedisReceiveEndpointConfigurator
{
    readonly RedisHostConfiguration _hostConfiguration;
    readonly RedisEndpointConfiguration _endpointConfiguration;
    readonly HashSet<string> _explicitTopics = new(StringComparer.Ordinal);

    public RedisReceiveEndpointConfiguration(RedisHostConfiguration hostConfiguration, string queueName,
        RedisEndpointConfiguration endpointConfiguration)
        : base(hostConfiguration, endpointConfiguration)
    {
        _hostConfiguration = hostConfiguration;
        _endpointConfiguration = endpointConfiguration;
        Settings = new RedisReceiveSettings(queueName, hostConfiguration.Settings);
    }

    /// <summary>What the endpoint runs with; the setters below only fill it, <see cref="Validate"/> checks it.</summary>
    public RedisReceiveSettings Settings { get; }

    public string QueueName => Settings.QueueName;

    public override Uri HostAddress => _hostConfiguration.HostAddress;

    public override Uri InputAddress => RedisEndpointAddress.ForQueue(_hostConfiguration.HostAddress, QueueName);

    public RedisTopologyConfiguration RedisTopology => _endpointConfiguration.RedisTopology;

    public TimeSpan LockDuration
    {
        set => Settings.LockDuration = value;
    }

    public TimeSpan MaxLockDuration
    {
        set => Settings.MaxLockDuration = value;
    }

    public int MaxDeliveryCount
    {
        set => Settings.MaxDeliveryCount = value;
    }

    public bool PurgeOnStartup
    {
        set => Settings.PurgeOnStartup = value;
    }

    public TimeSpan? DuplicateDetectionWindow
    {
        set => Settings.DuplicateDetectionWindow = value;
    }

    public IReadOnlyCollection<string> ExplicitTopics => _explicitTopics;

    public void Subscribe<T>() where T : class => _explicitTopics.Add(RedisTopics.Of(typeof(T)));

    public override ReceiveEndpointContext CreateReceiveEndpointContext() => CreateRedisReceiveEndpointContext();

    public void Build(IHost host)
    {
        var context = CreateRedisReceiveEndpointContext();
        var transport = new RedisReceiveTransport(context);
        var receiveEndpoint = new ReceiveEndpoint(transport, context);
        host.AddReceiveEndpoint(QueueName, receiveEndpoint);
        ReceiveEndpoint = receiveEndpoint;
    }

    public override IEnumerable<ValidationResult> Validate()
    {
        foreach (var result in base.Validate())
            yield return result;
        foreach (var (key, message) in Settings.Problems())
            yield return this.Failure(key, message);
    }

    RedisReceiveEndpointContext CreateRedisReceiveEndpointContext()
    {
        var builder = new RedisReceiveEndpointBuilder(_hostConfiguration, this);
        ApplySpecifications(builder);
        return builder.CreateReceiveEndpointContext();
    }
}

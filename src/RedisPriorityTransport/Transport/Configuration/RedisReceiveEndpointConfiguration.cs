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
    /// <summary>MassTransit's SQL transport default.</summary>
    public static readonly TimeSpan DefaultMaxLockDuration = TimeSpan.FromHours(12);

    TimeSpan _lockDuration = TimeSpan.FromSeconds(30);
    TimeSpan _maxLockDuration = DefaultMaxLockDuration;
    int? _maxDeliveryCount;

    public RedisReceiveEndpointConfiguration(RedisHostConfiguration hostConfiguration, string queueName,
        RedisEndpointConfiguration endpointConfiguration)
        : base(hostConfiguration, endpointConfiguration)
    {
        _hostConfiguration = hostConfiguration;
        _endpointConfiguration = endpointConfiguration;
        QueueName = queueName;
    }

    public string QueueName { get; }

    public override Uri HostAddress => _hostConfiguration.HostAddress;

    public override Uri InputAddress => RedisEndpointAddress.ForQueue(_hostConfiguration.HostAddress, QueueName);

    public RedisTopologyConfiguration RedisTopology => _endpointConfiguration.RedisTopology;

    public TimeSpan LockDuration
    {
        get => _lockDuration;
        set => _lockDuration = value > TimeSpan.FromMilliseconds(100)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "LockDuration must be longer than 100 ms.");
    }

    public TimeSpan MaxLockDuration
    {
        get => _maxLockDuration;
        set => _maxLockDuration = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxLockDuration must be positive.");
    }

    public int? MaxDeliveryCount
    {
        get => _maxDeliveryCount;
        set => _maxDeliveryCount = value is null or > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxDeliveryCount must be positive.");
    }

    int IRedisReceiveEndpointConfigurator.MaxDeliveryCount
    {
        set => MaxDeliveryCount = value;
    }

    public bool PurgeOnStartup { get; set; }

    TimeSpan? _duplicateDetectionWindow;
    bool _duplicateDetectionWindowSet;

    /// <summary>This endpoint's window, or the bus default when it set none.</summary>
    public TimeSpan? DuplicateDetectionWindow
    {
        get => _duplicateDetectionWindowSet ? _duplicateDetectionWindow : _hostConfiguration.Settings.DuplicateDetectionWindow;
        set
        {
            _duplicateDetectionWindow = PriorityQueueSettings.ValidateDuplicateDetectionWindow(value);
            _duplicateDetectionWindowSet = true;
        }
    }

    /// <summary>True for temporary endpoints (the bus endpoint, temporary definitions): the queue is deleted when the endpoint stops.</summary>
    public bool DeleteOnStop { get; set; }

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
        ValidationResult? invalid = null;
        try
        {
            QueueNames.ValidateQueueName(QueueName);
        }
        catch (ArgumentException exception)
        {
            invalid = this.Failure("QueueName", exception.Message);
        }

        if (invalid is not null)
            yield return invalid;
        if (MaxLockDuration <= LockDuration)
            yield return this.Failure("MaxLockDuration", $"MaxLockDuration ({MaxLockDuration}) must be longer than LockDuration ({LockDuration}).");
    }

    RedisReceiveEndpointContext CreateRedisReceiveEndpointContext()
    {
        var builder = new RedisReceiveEndpointBuilder(_hostConfiguration, this);
        ApplySpecifications(builder);
        return builder.CreateReceiveEndpointContext();
    }
}

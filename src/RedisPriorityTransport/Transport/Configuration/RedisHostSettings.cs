using MassTransit;
using RedisPriorityTransport.Redis;
using StackExchange.Redis;

namespace RedisPriorityTransport.Transport;

/// <summary>Where and how the bus connects to Redis, and the queue settings shared by its queues.</summary>
internal sealed class RedisHostSettings : IRedisHostConfigurator
{
    ConfigurationOptions? _options;
    IConnectionMultiplexer? _connection;
    Uri? _hostAddress;

    public ConfigurationOptions? Options
    {
        get => _options;
        set
        {
            _options = value;
            _hostAddress = null;
        }
    }

    public IConnectionMultiplexer? Connection
    {
        get => _connection;
        set
        {
            _connection = value;
            _hostAddress = null;
        }
    }

    Func<IConnectionMultiplexer?>? _connectionFromServices;

    public Func<IConnectionMultiplexer?>? ConnectionFromServices
    {
        get => _connectionFromServices;
        set
        {
            _connectionFromServices = value;
            _hostAddress = null;
        }
    }

    string _keyPrefix = PriorityQueueSettings.DefaultKeyPrefix;

    public string KeyPrefix
    {
        get => _keyPrefix;
        set => _keyPrefix = QueueNames.ValidateKeyPrefix(value);
    }

    int _maxMessageBytes = PriorityQueueSettings.DefaultMaxBodyBytes;

    public int MaxMessageBytes
    {
        get => _maxMessageBytes;
        set => _maxMessageBytes = value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxMessageBytes must be positive.");
    }

    public EventTypeRanking Ranking { get; set; } = EventTypeRanking.None;

    TimeSpan? _duplicateDetectionWindow;

    /// <summary>The duplicate detection window of receive endpoints that set none (null: off).</summary>
    public TimeSpan? DuplicateDetectionWindow
    {
        get => _duplicateDetectionWindow;
        set => _duplicateDetectionWindow = PriorityQueueSettings.ValidateDuplicateDetectionWindow(value);
    }

    public List<Action<ConfigurationOptions>> OptionChanges { get; } = [];

    public void ConfigureOptions(Action<ConfigurationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        OptionChanges.Add(configure);
    }

    /// <summary>The host part of bus addresses: the first configured endpoint, <c>redis://host:port/</c>.</summary>
    public Uri HostAddress => _hostAddress ??= ComputeHostAddress();

    Uri ComputeHostAddress()
    {
        var connection = Connection ?? (Options is null ? ConnectionFromServices?.Invoke() : null);
        var endpoint = connection?.GetEndPoints().FirstOrDefault() ?? Options?.EndPoints.FirstOrDefault();
        var text = endpoint switch
        {
            System.Net.DnsEndPoint dns => $"{dns.Host}:{(dns.Port == 0 ? 6379 : dns.Port)}",
            System.Net.IPEndPoint ip => ip.ToString(),
            null => "localhost:6379",
            _ => endpoint.ToString() ?? "localhost:6379",
        };
        return new Uri($"redis://{text}/");
    }

    /// <summary>How often an idle endpoint checks its queue without a wake-up (the engine's default unless set; tests only).</summary>
    internal TimeSpan? FallbackPollInterval { get; set; }

    public PriorityQueueSettings CreateQueueSettings(int? maxDeliveryCount = null, TimeSpan? duplicateDetectionWindow = null)
    {
        var settings = new PriorityQueueSettings
        {
            KeyPrefix = KeyPrefix, Ranking = Ranking, ReasonHeader = "MT-Reason", MaxBodyBytes = MaxMessageBytes,
            DuplicateDetectionWindow = duplicateDetectionWindow,
        };
        if (FallbackPollInterval is { } poll)
            settings.FallbackPollInterval = poll;
        if (maxDeliveryCount is { } max)
            settings.MaxDeliveryCount = max;
        return settings;
    }

    /// <summary>
    /// The bus's connection: the one given, the container's, or a new one it owns. For a new one that Redis refused to
    /// authenticate, also that refusal: StackExchange.Redis raises <c>ConnectionFailed</c> for it while connecting,
    /// before anyone can subscribe, and not again while it keeps retrying, so the connect's own log is where it shows.
    /// </summary>
    public async Task<(IConnectionMultiplexer Connection, bool Owned, Exception? RefusedAuthentication)> ConnectAsync()
    {
        if (Connection is not null)
            return (Connection, false, null);
        if (ConnectionFromServices?.Invoke() is { } shared && Options is null)
            return (shared, false, null);

        var options = (Options ?? ConfigurationOptions.Parse("localhost:6379")).Clone();
        options.AbortOnConnectFail = false;
        options.SocketManager ??= RedisConnections.DefaultSocketManager;
        foreach (var change in OptionChanges)
            change(options);
        var log = new StringWriter();
        var connection = await ConnectionMultiplexer.ConnectAsync(options, log).ConfigureAwait(false);
        return (connection, true, connection.IsConnected ? null : RefusedAuthenticationIn(log.ToString()));
    }

    // The first line of the connect log where Redis refused the credentials (WRONGPASS, or NOAUTH for a command sent
    // without them); NOPERM is a permission, not the connection's authentication.
    static RedisConnectionException? RefusedAuthenticationIn(string connectLog)
    {
        foreach (var line in connectLog.Split('\n'))
        {
            if (line.Contains("WRONGPASS", StringComparison.Ordinal) || line.Contains("NOAUTH", StringComparison.Ordinal))
            {
                // The log's lines start with the time ("23:43:54.7285: Response from …").
                var text = line.Trim();
                var afterTime = text.IndexOf(": ", StringComparison.Ordinal);
                if (afterTime > 0 && char.IsDigit(text[0]))
                    text = text[(afterTime + 2)..];
                return new RedisConnectionException(ConnectionFailureType.AuthenticationFailure, "Redis refused the connection's authentication: " + text);
            }
        }

        return null;
    }
}

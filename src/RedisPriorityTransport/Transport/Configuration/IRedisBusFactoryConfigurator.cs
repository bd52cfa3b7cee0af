using StackExchange.Redis;

namespace MassTransit;

/// <summary>Configures a MassTransit bus that runs on the Redis priority transport.</summary>
public interface IRedisBusFactoryConfigurator : IBusFactoryConfigurator<IRedisReceiveEndpointConfigurator>
{
    /// <summary>Connects with a StackExchange.Redis configuration string, for example <c>localhost:6379</c>.</summary>
    /// <param name="configuration">The configuration string (hosts, password, ssl=true, user=…).</param>
    /// <param name="configure">Optional further host settings.</param>
    void Host(string configuration, Action<IRedisHostConfigurator>? configure = null);

    /// <summary>Connects with StackExchange.Redis options (TLS, user, password, timeouts).</summary>
    /// <param name="options">The options; the transport sets <c>AbortOnConnectFail = false</c> on a copy so a host starts while Redis is down.</param>
    /// <param name="configure">Optional further host settings.</param>
    void Host(ConfigurationOptions options, Action<IRedisHostConfigurator>? configure = null);

    /// <summary>Uses a connection the application owns (it is not disposed when the bus stops).</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="configure">Optional further host settings.</param>
    void Host(IConnectionMultiplexer connection, Action<IRedisHostConfigurator>? configure = null);

    /// <summary>Ranks event types within one urgency, highest first; unranked types come after ranked ones.</summary>
    /// <param name="highestFirst">Event type names, the most important first.</param>
    void RankEventTypes(params string[] highestFirst);

    /// <summary>
    /// The prefix of every Redis key the bus uses (default <c>rpt:</c>); the same as <see cref="IRedisHostConfigurator.KeyPrefix"/>,
    /// for a bus that takes its connection from the container and so calls no <c>Host</c> method.
    /// </summary>
    string KeyPrefix { set; }

    /// <summary>The default lease of every receive endpoint (30 s unless set); see <see cref="IRedisReceiveEndpointConfigurator.LockDuration"/>.</summary>
    TimeSpan LockDuration { set; }

    /// <summary>The default maximum delivery count of every receive endpoint (10 unless set).</summary>
    int MaxDeliveryCount { set; }

    /// <summary>
    /// The default duplicate detection window of every receive endpoint (off unless set); see
    /// <see cref="IRedisReceiveEndpointConfigurator.DuplicateDetectionWindow"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive.</exception>
    TimeSpan? DuplicateDetectionWindow { set; }

    /// <summary>
    /// The default of every receive endpoint's <see cref="IRedisReceiveEndpointConfigurator.MaxLockDuration"/> (12 hours,
    /// MassTransit's SQL transport default, unless set).
    /// </summary>
    TimeSpan MaxLockDuration { set; }

    /// <summary>
    /// The largest serialized message (envelope) the bus sends or publishes, in bytes (16 MiB unless set); the same as
    /// <see cref="IRedisHostConfigurator.MaxMessageBytes"/>, for a bus that calls no <c>Host</c> method.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    int MaxMessageBytes { set; }
}

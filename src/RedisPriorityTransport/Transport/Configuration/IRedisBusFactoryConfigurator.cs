using MassTransit;
using StackExchange.Redis;

namespace RedisPriorityTransport;

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

/// <summary>Host settings of the Redis priority transport.</summary>
public interface IRedisHostConfigurator
{
    /// <summary>
    /// The prefix of every Redis key the bus uses (default <c>rpt:</c>), so several applications can share one Redis
    /// without seeing each other's queues.
    /// </summary>
    string KeyPrefix { set; }

    /// <summary>
    /// The largest serialized message (envelope) the bus sends or publishes, in bytes (16 MiB unless set). A larger one
    /// fails the <c>Send</c> or <c>Publish</c> call with an <see cref="ArgumentException"/> giving its size and the
    /// limit, and nothing is written. It bounds what one message can cost Redis's memory and every consumer's.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    int MaxMessageBytes { set; }

    /// <summary>Adjusts the StackExchange.Redis options before connecting (ignored when a connection was supplied).</summary>
    /// <param name="configure">Changes to apply, for example <c>o =&gt; { o.Ssl = true; o.User = "app"; }</c>.</param>
    void ConfigureOptions(Action<ConfigurationOptions> configure);
}

/// <summary>Configures one receive endpoint (one Redis priority queue).</summary>
public interface IRedisReceiveEndpointConfigurator : IReceiveEndpointConfigurator
{
    /// <summary>
    /// How long a reserved message stays leased to this endpoint before another consumer may take it. The lease is renewed
    /// automatically while a consumer runs, so it only bounds how long a crashed process delays a message.
    /// </summary>
    TimeSpan LockDuration { set; }

    /// <summary>How many deliveries a message gets (counting lease expiries) before it goes to the error queue.</summary>
    int MaxDeliveryCount { set; }

    /// <summary>
    /// How long after a message is settled here (consumed, moved to the error or skipped queue, or dead-lettered) a
    /// send or publish of its <c>MessageId</c> to this queue is still dropped as a duplicate. Off (null) unless set:
    /// then a MessageId is a duplicate only while its message is waiting, delayed or in flight. Each id remembered costs
    /// Redis memory for the window (about 145 bytes for a Guid id, see docs/transport.md).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive.</exception>
    TimeSpan? DuplicateDetectionWindow { set; }

    /// <summary>
    /// How long a consumer may hold one message (12 hours unless set). The lease is renewed while the consumer runs; past
    /// this the transport stops renewing and gives the message back to its place in the queue, so a hung handler cannot
    /// hold it forever, and that handler's lock context reports the lease lost. Must be longer than <see cref="LockDuration"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    TimeSpan MaxLockDuration { set; }

    /// <summary>Deletes every waiting message of the queue when the endpoint starts.</summary>
    bool PurgeOnStartup { set; }

    /// <summary>Subscribes the queue to messages of <typeparamref name="T"/> published on the bus (done for consumed types automatically).</summary>
    /// <typeparam name="T">The message type.</typeparam>
    void Subscribe<T>() where T : class;
}

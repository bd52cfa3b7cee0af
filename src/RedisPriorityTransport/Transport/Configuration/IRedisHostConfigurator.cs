using StackExchange.Redis;

namespace MassTransit;

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

using StackExchange.Redis;

namespace RedisPriorityTransport;

/// <summary>Creates an <see cref="IPriorityQueueAdmin"/> for users of the queue engine without MassTransit.</summary>
public static class PriorityQueueAdmin
{
    /// <summary>
    /// An admin over the queues of <paramref name="connection"/> under the key prefix of <paramref name="settings"/>
    /// (fault reasons read from its <see cref="PriorityQueueSettings.ReasonHeader"/>). The caller keeps owning the connection.
    /// </summary>
    /// <param name="connection">The Redis connection.</param>
    /// <param name="settings">Key prefix and reason header; defaults when null.</param>
    /// <param name="options">History caps and per-call limits; defaults when null.</param>
    public static IPriorityQueueAdmin Create(IConnectionMultiplexer connection, PriorityQueueSettings? settings = null, PriorityQueueAdminOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        settings ??= new PriorityQueueSettings();
        var target = Task.FromResult(new AdminTarget(connection, settings.KeyPrefix, settings.ReasonHeader));
        return new RedisPriorityQueueAdmin(() => target, options ?? new PriorityQueueAdminOptions());
    }
}

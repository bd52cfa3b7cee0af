using StackExchange.Redis;

namespace RedisPriorityTransport.Tests.Infrastructure;

/// <summary>
/// A test class with its own <c>redis-server</c> (started per test with <paramref name="serverArguments"/>), for tests
/// that kill, restart or reconfigure the server and so cannot share the suite's Redis. Queues opened here get their
/// own fault-tolerant connection each, like separate processes would, and are closed after the test.
/// </summary>
public abstract class DedicatedRedisTestBase(params string[] serverArguments) : IAsyncLifetime
{
    readonly List<IAsyncDisposable> _cleanup = [];

    /// <summary>The test's own server.</summary>
    protected LocalRedisProcess Server { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Server = await LocalRedisProcess.StartAsync(serverArguments);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_cleanup))
            await item.DisposeAsync();
        await Server.DisposeAsync();
    }

    /// <summary>Opens <paramref name="queueName"/> over a new connection named <paramref name="clientName"/>.</summary>
    protected async Task<(RedisPriorityQueue Queue, ConnectionMultiplexer Connection)> OpenQueueAsync(string clientName, string queueName,
        PriorityQueueSettings? settings = null, Action<ConfigurationOptions>? configureConnection = null)
    {
        var connection = await FaultTolerantConnection.ConnectAsync(Server.Configuration, clientName, configureConnection);
        _cleanup.Add(connection);
        var queue = new RedisPriorityQueue(connection, queueName, settings);
        _cleanup.Add(queue);
        return (queue, connection);
    }
}

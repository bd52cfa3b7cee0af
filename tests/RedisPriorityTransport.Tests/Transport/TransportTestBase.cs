using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisPriorityTransport.Tests.Transport;

/// <summary>
/// Starts a MassTransit test harness on the Redis transport with a key prefix of its own, so tests run in parallel on
/// one Redis server without seeing each other's queues. The Redis is the shared standalone test server unless a derived
/// class passes another source (a Redis Cluster), so one set of transport tests runs against both.
/// </summary>
public abstract class TransportTestBase : IAsyncLifetime
{
    ServiceProvider? _provider;
    readonly List<RedisPriorityQueue> _queues = [];
    readonly Func<Task<RedisServerHandle>> _serverSource;

    /// <summary>Tests against the shared standalone test server.</summary>
    protected TransportTestBase()
        : this(RedisTestServer.GetAsync)
    {
    }

    /// <summary>Tests against the server <paramref name="serverSource"/> provides.</summary>
    protected TransportTestBase(Func<Task<RedisServerHandle>> serverSource) => _serverSource = serverSource;

    protected string KeyPrefix { get; } = RedisTestServer.NewKeyPrefix();

    protected RedisServerHandle Redis { get; private set; } = null!;

    protected ITestHarness Harness { get; private set; } = null!;

    protected IServiceProvider Services => _provider!;

    public virtual async Task InitializeAsync() => Redis = await _serverSource();

    public virtual async Task DisposeAsync()
    {
        foreach (var queue in _queues)
            await queue.DisposeAsync();
        if (_provider is not null)
        {
            await Harness.Stop();
            await _provider.DisposeAsync();
        }
    }

    /// <summary>Builds and starts the harness.</summary>
    protected async Task StartHarness(Action<IBusRegistrationConfigurator> register,
        Action<IBusRegistrationContext, IRedisBusFactoryConfigurator>? configure = null, TimeSpan? inactivity = null)
    {
        var services = new ServiceCollection();
        services.AddMassTransitTestHarness(x =>
        {
            x.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60), testInactivityTimeout: inactivity ?? TimeSpan.FromSeconds(5));
            register(x);
            x.UsingRedis((context, cfg) =>
            {
                cfg.Host(Redis.Configuration, h => h.KeyPrefix = KeyPrefix);
                cfg.RankEventTypes("alert", "transaction", "log");
                configure?.Invoke(context, cfg);
                cfg.ConfigureEndpoints(context);
            });
        });
        _provider = services.BuildServiceProvider(true);
        Harness = _provider.GetRequiredService<ITestHarness>();
        await Harness.Start();
    }

    /// <summary>A queue of this test's key prefix, for looking into Redis directly.</summary>
    /// <summary>An engine view of one of this test's queues, disposed with the test (it holds a handler on the shared connection).</summary>
    protected RedisPriorityQueue Queue(string name)
    {
        var queue = new RedisPriorityQueue(Redis.Connection, name, new PriorityQueueSettings { KeyPrefix = KeyPrefix, ReasonHeader = "MT-Reason" });
        _queues.Add(queue);
        return queue;
    }

    protected IDatabase Database => Redis.Connection.GetDatabase();
}

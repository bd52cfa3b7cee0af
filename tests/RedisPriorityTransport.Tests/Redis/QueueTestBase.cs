using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisPriorityTransport.Tests.Redis;

/// <summary>
/// Gives each test its own key prefix on a test Redis and cleans its queues up. The Redis is the shared standalone
/// test server unless a derived class passes another source (for example a Redis Cluster), so one set of engine tests
/// runs against both.
/// </summary>
public abstract class QueueTestBase : IAsyncLifetime
{
    readonly List<RedisPriorityQueue> _queues = [];
    readonly Func<Task<RedisServerHandle>> _serverSource;

    /// <summary>Tests against the shared standalone test server.</summary>
    protected QueueTestBase()
        : this(RedisTestServer.GetAsync)
    {
    }

    /// <summary>Tests against the server <paramref name="serverSource"/> provides.</summary>
    protected QueueTestBase(Func<Task<RedisServerHandle>> serverSource) => _serverSource = serverSource;

    protected RedisServerHandle Server { get; private set; } = null!;
    protected IDatabase Database => Server.Connection.GetDatabase();
    protected string KeyPrefix { get; } = RedisTestServer.NewKeyPrefix();
    protected static EventTypeRanking ClassicRanking { get; } = new(["alert", "transaction", "log"]);

    public async Task InitializeAsync() => Server = await _serverSource();

    public async Task DisposeAsync()
    {
        foreach (var queue in _queues)
            await queue.DisposeAsync();
        foreach (var key in KeysOfThisTest())
            await Database.KeyDeleteAsync(key);
    }

    protected RedisPriorityQueue Queue(string name = "orders", Action<PriorityQueueSettings>? configure = null)
    {
        var settings = new PriorityQueueSettings { KeyPrefix = KeyPrefix, Ranking = ClassicRanking };
        configure?.Invoke(settings);
        var queue = new RedisPriorityQueue(Server.Connection, name, settings);
        _queues.Add(queue);
        return queue;
    }

    protected IEnumerable<RedisKey> KeysOfThisTest() =>
        Server.Connection.GetServers().SelectMany(server => server.Keys(pattern: KeyPrefix + "*", pageSize: 1000));

    /// <summary>The keys of this test's queues: every key of its prefix but the queue registry the engine keeps for the admin API.</summary>
    protected IEnumerable<RedisKey> QueueKeysOfThisTest() => KeysOfThisTest().Where(key => key != KeyPrefix + "queues");

    protected static QueueMessage Message(string id, int urgency = 5, string? eventType = null, string? body = null,
        IReadOnlyDictionary<string, string>? headers = null, TimeSpan? delay = null) =>
        new(id, System.Text.Encoding.UTF8.GetBytes(body ?? id), new MessagePriority((Urgency)urgency, eventType), headers) { Delay = delay };

    protected static async Task<List<ReservedMessage>> DrainAsync(RedisPriorityQueue queue, int batch = 100, bool acknowledge = true)
    {
        var all = new List<ReservedMessage>();
        while (true)
        {
            var reserved = await queue.ReserveAsync(batch, TimeSpan.FromMinutes(1));
            if (reserved.Messages.Count == 0)
                return all;
            all.AddRange(reserved.Messages);
            if (acknowledge)
                await Task.WhenAll(reserved.Messages.Select(m => queue.AcknowledgeAsync(m.Id, m.LeaseToken)));
        }
    }
}

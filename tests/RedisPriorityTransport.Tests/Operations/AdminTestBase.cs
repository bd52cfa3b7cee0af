using RedisPriorityTransport.Tests.Redis;

namespace RedisPriorityTransport.Tests.Operations;

/// <summary>An admin over this test's key prefix on the shared test Redis, next to engine queues of the same prefix.</summary>
public abstract class AdminTestBase : QueueTestBase
{
    /// <summary>Tests against the shared standalone test server.</summary>
    protected AdminTestBase()
    {
    }

    /// <summary>Tests against the server <paramref name="serverSource"/> provides (a Redis Cluster).</summary>
    protected AdminTestBase(Func<Task<RedisPriorityTransport.Tests.Infrastructure.RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    protected const string Operator = "alice";

    protected IPriorityQueueAdmin Admin => PriorityQueueAdmin.Create(Server.Connection, new PriorityQueueSettings { KeyPrefix = KeyPrefix });

    /// <summary>An admin with other options.</summary>
    protected IPriorityQueueAdmin AdminWith(Action<PriorityQueueAdminOptions> configure)
    {
        var options = new PriorityQueueAdminOptions();
        configure(options);
        return PriorityQueueAdmin.Create(Server.Connection, new PriorityQueueSettings { KeyPrefix = KeyPrefix }, options);
    }

    /// <summary>Enqueues messages a..n of the given urgencies into <paramref name="queue"/>.</summary>
    protected static async Task FillAsync(RedisPriorityQueue queue, params (string Id, int Urgency)[] messages) =>
        await queue.EnqueueBatchAsync(messages.Select(m => Message(m.Id, m.Urgency)).ToArray());
}

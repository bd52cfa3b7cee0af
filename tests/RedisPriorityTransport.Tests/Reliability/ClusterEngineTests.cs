using System.Net;
using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Redis;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Reliability;

// The engine's ordering, lease, waiting-message, wake-up and foreign-data tests, run unchanged against a three-master Redis Cluster.
// A cluster refuses a script whose keys span slots, so these passing is the proof that each script stays in one slot.

/// <summary><see cref="OrderingTests"/> against a Redis Cluster.</summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class OrderingTestsOnCluster(RedisClusterFixture cluster) : OrderingTests(cluster.GetServerAsync);

/// <summary><see cref="LeaseTests"/> against a Redis Cluster.</summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class LeaseTestsOnCluster(RedisClusterFixture cluster) : LeaseTests(cluster.GetServerAsync);

/// <summary><see cref="WaitingMessageTests"/> against a Redis Cluster.</summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class WaitingMessageTestsOnCluster(RedisClusterFixture cluster) : WaitingMessageTests(cluster.GetServerAsync);

/// <summary><see cref="WakeUpAndScriptTests"/> against a Redis Cluster.</summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class WakeUpAndScriptTestsOnCluster(RedisClusterFixture cluster) : WakeUpAndScriptTests(cluster.GetServerAsync);

/// <summary><see cref="ForeignDataTests"/> against a Redis Cluster: the tolerant scripts stay in one slot too.</summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class ForeignDataTestsOnCluster(RedisClusterFixture cluster, ITestOutputHelper output) : ForeignDataTests(output, cluster.GetServerAsync);

/// <summary>What only a cluster can show: queues on different masters at once, and that the cluster enforces one slot per script.</summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class ClusterEngineTests(RedisClusterFixture cluster, ITestOutputHelper output) : QueueTestBase(cluster.GetServerAsync)
{
    const int QueuesPerMaster = 2;
    const int MessagesPerQueue = 300;

    [RedisFact]
    public async Task Queues_on_every_master_work_at_the_same_time()
    {
        var queues = PickQueueNamesOnEveryMaster();
        foreach (var (name, endpoint) in queues)
            output.WriteLine($"queue {name}: slot {Server.Connection.HashSlot("{" + name + "}")} on {endpoint}");

        var outcomes = await Task.WhenAll(queues.Select((q, i) => ExerciseOneQueueAsync(q.Name, seed: i)));

        foreach (var line in outcomes)
            output.WriteLine(line);
        Assert.Equal(3, queues.Select(q => q.Endpoint).Distinct().Count());
    }

    [RedisFact]
    public async Task The_cluster_refuses_scripts_whose_keys_span_slots()
    {
        // Sent straight to the nodes (StackExchange.Redis would refuse it before sending): the server itself checks.
        var replies = new List<string>();
        foreach (var node in cluster.Nodes)
        {
            replies.Add(await node.CommandAsync("EVAL", "return redis.call('MGET', KEYS[1], KEYS[2])", "2", "{a}:x", "{b}:y"));
            replies.Add(await node.CommandAsync("EVAL", "return redis.call('GET', ARGV[1])", "1", "{a}:x", "{b}:y"));
        }

        foreach (var reply in replies)
            output.WriteLine($"cross-slot script: {reply}");
        Assert.All(replies, reply => Assert.StartsWith("-", reply));
        Assert.Contains(replies, reply => reply.StartsWith("-CROSSSLOT", StringComparison.Ordinal));
    }

    List<(string Name, EndPoint Endpoint)> PickQueueNamesOnEveryMaster()
    {
        var picked = new List<(string, EndPoint)>();
        var perEndpoint = new Dictionary<EndPoint, int>();
        for (var i = 0; i < 1000 && picked.Count < 3 * QueuesPerMaster; i++)
        {
            var name = $"slot-q{i}";
            var endpoint = Database.IdentifyEndpoint(KeyPrefix + "{" + name + "}:" + name + ":ready")!;
            if (perEndpoint.GetValueOrDefault(endpoint) >= QueuesPerMaster)
                continue;
            perEndpoint[endpoint] = perEndpoint.GetValueOrDefault(endpoint) + 1;
            picked.Add((name, endpoint));
        }

        return picked;
    }

    // Enqueue, change priority, cancel, lease expiry to the error queue, move to skipped, a delayed message, counts,
    // and drain in reference order: every script of the engine on this queue's slot.
    async Task<string> ExerciseOneQueueAsync(string name, int seed)
    {
        var queue = Queue(name, s => s.MaxDeliveryCount = 1);
        var random = new Random(seed);
        string?[] types = ["alert", "transaction", "log", null];
        var sent = Enumerable.Range(0, MessagesPerQueue)
            .Select(i => (Id: $"{name}-{i}", Urgency: random.Next(0, 11), Type: types[random.Next(types.Length)], Index: i))
            .ToList();
        foreach (var chunk in sent.Chunk(50))
            await queue.EnqueueBatchAsync(chunk.Select(m => Message(m.Id, m.Urgency, m.Type)).ToList());
        // Lowest urgency, unranked and sequenced at promotion: the delayed message comes out last.
        await queue.EnqueueAsync(Message($"{name}-delayed", 0, delay: TimeSpan.FromMilliseconds(50)));

        Assert.True(await queue.ChangePriorityAsync(sent[7].Id, new MessagePriority(Urgency.Critical, "alert")));
        sent[7] = sent[7] with { Urgency = 10, Type = "alert" };
        Assert.True(await queue.CancelAsync(sent[8].Id));
        sent.RemoveAt(8);
        sent.Add(($"{name}-delayed", 0, null, MessagesPerQueue));
        var reference = sent.OrderByDescending(m => m.Urgency).ThenBy(m => ClassicRanking.RankOf(m.Type)).ThenBy(m => m.Index)
            .Select(m => m.Id).ToList();

        var expiring = (await queue.ReserveAsync(1, TimeSpan.FromMilliseconds(200))).Messages.Single();
        var moving = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        Assert.NotNull(await queue.MoveAsync(moving.Id, moving.LeaseToken, queue.SkippedQueueName, "cluster test"));
        // A reserve may dead-letter the expired lease itself, so wait on the error queue rather than on one reclaim.
        var errorQueue = Queue(queue.ErrorQueueName);
        await Eventually.HoldsAsync(async () =>
        {
            await queue.ReclaimExpiredAsync();
            return (await errorQueue.GetCountsAsync()).Ready == 1;
        }, TimeSpan.FromSeconds(30), $"the expired lease on {name} to go to the error queue");
        await Eventually.HoldsAsync(async () =>
        {
            await queue.ReserveAsync(0, TimeSpan.FromMinutes(1)); // promotes due messages
            return (await queue.GetCountsAsync()).Delayed == 0;
        }, TimeSpan.FromSeconds(30), $"the delayed message on {name} to become ready");
        var counts = await queue.GetCountsAsync();
        var drained = (await DrainAsync(queue)).Select(m => m.Id).ToList();
        var errors = (await DrainAsync(errorQueue)).Select(m => m.Id).ToList();
        var skipped = (await DrainAsync(Queue(queue.SkippedQueueName))).Select(m => m.Id).ToList();

        Assert.Equal(reference[0], expiring.Id);
        Assert.Equal([reference[0]], errors);
        Assert.Equal([reference[1]], skipped);
        Assert.Equal(MessagesPerQueue - 3 + 1, counts.Ready);
        Assert.Equal(reference.Skip(2), drained);
        return $"queue {name}: {MessagesPerQueue} enqueued, 1 changed, 1 cancelled, 1 expired to error, 1 moved to skipped, " +
               $"1 delayed, {drained.Count} drained in reference order";
    }
}

using System.Collections.Concurrent;
using System.Net;
using MassTransit;
using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Transport;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Reliability;

// The transport's ordering (the classic four events, 10,000 random messages, an urgent message behind a backlog),
// delivery, publish fan-out, retry, error and skipped queues, delayed redelivery, defer and lease expiry tests, run
// unchanged on a three-master Redis Cluster: the bus connects with the cluster's node list.

/// <summary><see cref="PriorityOrderTests"/> on a Redis Cluster.</summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class PriorityOrderTestsOnCluster(RedisClusterFixture cluster) : PriorityOrderTests(cluster.GetServerAsync);

/// <summary><see cref="BasicDeliveryTests"/> on a Redis Cluster.</summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class BasicDeliveryTestsOnCluster(RedisClusterFixture cluster) : BasicDeliveryTests(cluster.GetServerAsync);

/// <summary><see cref="FaultTests"/> on a Redis Cluster.</summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class FaultTestsOnCluster(RedisClusterFixture cluster) : FaultTests(cluster.GetServerAsync);

/// <summary><see cref="DeferTests"/> on a Redis Cluster.</summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class DeferTestsOnCluster(RedisClusterFixture cluster) : DeferTests(cluster.GetServerAsync);

/// <summary>
/// <see cref="ErrorQueueConsumerTests"/> on a Redis Cluster: <c>audit</c>, <c>audit_error</c> and
/// <c>audit_error_error</c> share one hash tag, so the move between them is one script on one slot.
/// </summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class ErrorQueueConsumerTestsOnCluster(RedisClusterFixture cluster) : ErrorQueueConsumerTests(cluster.GetServerAsync);

/// <summary><see cref="CrashRecoveryTests"/> on a Redis Cluster.</summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class CrashRecoveryTestsOnCluster(RedisClusterFixture cluster) : CrashRecoveryTests(cluster.GetServerAsync);

public record SlotEvent(string Id);

/// <summary>What only a cluster can show for the transport: one publish reaching queues that live on different masters.</summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class ClusterTransportTests(RedisClusterFixture cluster, ITestOutputHelper output) : TransportTestBase(cluster.GetServerAsync)
{
    const int Published = 200;
    const int SentToEach = 50;

    [RedisFact]
    public async Task Publish_and_send_reach_queues_on_every_master()
    {
        var queues = PickQueueNamesOnEveryMaster();
        var received = new ConcurrentDictionary<string, ConcurrentDictionary<string, int>>();
        await StartHarness(_ => { }, (_, cfg) =>
        {
            foreach (var (name, _) in queues)
            {
                var seen = received.GetOrAdd(name, _ => new ConcurrentDictionary<string, int>());
                cfg.ReceiveEndpoint(name, e => e.Handler<SlotEvent>(context =>
                {
                    seen.AddOrUpdate(context.Message.Id, 1, (_, n) => n + 1);
                    return Task.CompletedTask;
                }));
            }
        });

        var random = new Random(7);
        await Task.WhenAll(Enumerable.Range(0, Published).Select(i =>
            Harness.Bus.Publish(new SlotEvent($"p{i}"), context => context.SetUrgency((Urgency)random.Next(11)))));
        foreach (var (name, _) in queues)
        {
            var endpoint = await Harness.Bus.GetSendEndpoint(new Uri($"queue:{name}"));
            await Task.WhenAll(Enumerable.Range(0, SentToEach).Select(i => endpoint.Send(new SlotEvent($"{name}-s{i}"))));
        }

        await Eventually.HoldsAsync(() => Task.FromResult(queues.All(q => received[q.Name].Count == Published + SentToEach)),
            TimeSpan.FromSeconds(60), "every queue to receive every published message and those sent to it");
        foreach (var (name, endpoint) in queues)
        {
            await Eventually.HoldsAsync(async () => await Queue(name).GetCountsAsync() is { Ready: 0, InFlight: 0, Delayed: 0 }, TimeSpan.FromSeconds(30),
                $"{name} to be empty");
            var seen = received[name];
            output.WriteLine($"queue {name}: slot {Redis.Connection.HashSlot("{" + name + "}")} on {endpoint}: received {seen.Count} " +
                $"({seen.Keys.Count(k => k.StartsWith('p'))} published, {seen.Keys.Count(k => !k.StartsWith('p'))} sent), duplicated {seen.Values.Sum(n => n - 1)}");
            Assert.All(seen.Values, n => Assert.Equal(1, n));
        }

        var topicKey = $"{KeyPrefix}{{topic:{MessageUrn.ForTypeString<SlotEvent>()}}}:subscribers";
        output.WriteLine($"topic subscribers key: slot {Redis.Connection.HashSlot(topicKey)} on {Redis.Connection.GetDatabase().IdentifyEndpoint(topicKey)}");
        Assert.Equal(3, queues.Select(q => q.Endpoint).Distinct().Count());
    }

    List<(string Name, EndPoint Endpoint)> PickQueueNamesOnEveryMaster()
    {
        var database = Redis.Connection.GetDatabase();
        var picked = new Dictionary<EndPoint, string>();
        for (var i = 0; i < 1000 && picked.Count < 3; i++)
        {
            var name = $"slot-t{i}";
            var endpoint = database.IdentifyEndpoint(KeyPrefix + "{" + name + "}:" + name + ":ready")!;
            picked.TryAdd(endpoint, name);
        }

        return picked.Select(pair => (pair.Value, pair.Key)).ToList();
    }
}

using System.Diagnostics;
using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Reliability;

/// <summary>
/// Redis with AOF (<c>appendfsync always</c>) is killed or shut down and restarted on the same port while the engine
/// keeps its connections: what was confirmed survives in order, the engine reconnects and reloads its scripts, calls
/// made while Redis is down fail clearly, and traffic across restarts loses nothing.
/// </summary>
public sealed class RedisRestartTests(ITestOutputHelper output) : DedicatedRedisTestBase("--appendonly", "yes", "--appendfsync", "always")
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    static readonly EventTypeRanking Ranking = new(["alert", "transaction", "log"]);
    static readonly PriorityQueueSettings Settings = new() { Ranking = Ranking };

    [RedisFact]
    public async Task Confirmed_enqueues_survive_a_kill_and_come_out_in_order_after_the_engine_reconnects()
    {
        var (queue, _) = await OpenQueueAsync("rpt-restart-engine", "survivors", Settings);
        var random = new Random(5);
        string?[] types = ["alert", "transaction", "log", null];
        var sent = Enumerable.Range(0, 1000).Select(i => (Id: $"m{i:D4}", Urgency: random.Next(0, 11), Type: types[random.Next(types.Length)], Index: i)).ToList();
        foreach (var chunk in sent.Chunk(25))
        {
            var results = await queue.EnqueueBatchAsync(chunk.Select(m => new QueueMessage(m.Id, new byte[] { 1 }, new MessagePriority((Urgency)m.Urgency, m.Type))).ToList());
            Assert.All(results, r => Assert.True(r.Added));
        }

        var reference = sent.OrderByDescending(m => m.Urgency).ThenBy(m => Ranking.RankOf(m.Type)).ThenBy(m => m.Index).Select(m => m.Id).ToList();
        // Five leases are in flight at the crash; they must come back at their original place.
        var inFlight = (await queue.ReserveAsync(5, TimeSpan.FromMilliseconds(500))).Messages.Select(m => m.Id).ToList();
        Assert.Equal(reference.Take(5), inFlight);

        Server.Kill();
        output.WriteLine($"killed redis-server (SIGKILL) after 1000 confirmed enqueues and 5 reservations");
        var clock = Stopwatch.StartNew();
        var whileDown = await Assert.ThrowsAnyAsync<Exception>(() => queue.EnqueueAsync(new QueueMessage("while-down", new byte[1])));
        output.WriteLine($"enqueue while down failed after {clock.ElapsedMilliseconds} ms with {whileDown.GetType().Name}: {FirstLine(whileDown.Message)}");
        Assert.True(whileDown is RedisConnectionException or RedisTimeoutException, whileDown.ToString());

        await Server.RestartAsync();
        clock.Restart();
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return (await queue.GetCountsAsync()).Ready + (await queue.GetCountsAsync()).InFlight >= 995;
            }
            catch (Exception exception) when (FaultTolerantConnection.IsRedisFault(exception))
            {
                return false;
            }
        }, Patience, "the engine to reconnect by itself and see the queue");
        output.WriteLine($"the same queue instance answered {clock.ElapsedMilliseconds} ms after the restart");
        var errorStats = await Server.CommandAsync("INFO", "errorstats");
        output.WriteLine($"after restart: {string.Join(' ', errorStats.Split('\n').Where(l => l.StartsWith("errorstat_", StringComparison.Ordinal)).Select(l => l.Trim()))}");
        Assert.Contains("errorstat_NOSCRIPT:count=", errorStats); // the scripts were reloaded through the NOSCRIPT path

        await Eventually.HoldsAsync(async () => (await queue.ReclaimExpiredAsync()).Returned > 0 || (await queue.GetCountsAsync()).InFlight == 0,
            Patience, "the leases in flight at the crash to expire");
        var drained = new List<ReservedMessage>();
        for (var round = 0; round < 100; round++)
        {
            var batch = (await queue.ReserveAsync(100, TimeSpan.FromMinutes(1))).Messages;
            if (batch.Count == 0)
                break;
            drained.AddRange(batch);
            foreach (var message in batch)
                Assert.True(await queue.AcknowledgeAsync(message.Id, message.LeaseToken));
        }

        var survivors = drained.Where(m => m.Id != "while-down").ToList();
        output.WriteLine($"drained {survivors.Count} of 1000 confirmed messages in reference order; " +
                         $"redelivered (in flight at the crash): {string.Join(", ", survivors.Where(m => m.Redelivered).Select(m => $"{m.Id} x{m.DeliveryCount}"))}; " +
                         $"'while-down' {(drained.Count > survivors.Count ? "landed late" : "was not stored")}");
        Assert.Equal(reference, survivors.Select(m => m.Id));
        Assert.Equal(inFlight, survivors.Where(m => m.DeliveryCount == 2).Select(m => m.Id));
    }

    [RedisFact]
    public async Task Traffic_across_a_kill_and_a_shutdown_loses_nothing()
    {
        var (producer, _) = await OpenQueueAsync("rpt-restart-producer", "traffic", Settings);
        var (consumer, _) = await OpenQueueAsync("rpt-restart-consumer", "traffic", Settings);
        await using var traffic = EngineTraffic.Start(producer, consumer, lease: TimeSpan.FromSeconds(2));

        await traffic.WaitForMoreDeliveriesAsync(300, Patience, "before the first fault");
        (string Name, Func<Task> Stop)[] faults =
        [
            ("kill -9", () => { Server.Kill(); return Task.CompletedTask; }),
            ("SHUTDOWN", () => Server.ShutdownAsync()),
        ];
        var restarts = FaultRounds.Scale(faults.Length);
        for (var restart = 0; restart < restarts; restart++)
        {
            var (fault, stop) = faults[restart % faults.Length];
            await stop();
            await traffic.WaitForPublishFailureAsync(Patience, $"while Redis is down after {fault}");
            var clock = Stopwatch.StartNew();
            await Server.RestartAsync();
            await traffic.WaitForMoreDeliveriesAsync(300, Patience, $"after the restart that followed {fault}");
            output.WriteLine($"{fault}: publishes failed while down ({traffic.PublishFailures} so far); traffic flowed again {clock.ElapsedMilliseconds} ms after the restart");
        }

        await traffic.FinishAsync(Patience);

        output.WriteLine($"Redis restart x{restarts} (kill -9 and SHUTDOWN in turn): {traffic.Ledger}");
        traffic.Ledger.AssertNothingLostAndDuplicatesExplained();
        Assert.True(traffic.Ledger.PublishedCount >= 300 * (restarts + 1));
    }

    static string FirstLine(string text) => text.Split(" - ")[0];
}

using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisPriorityTransport.Tests.Redis;

/// <summary>
/// A reserve whose reply never reaches the client must not strand its messages under a lease with a delivery counted,
/// and lease tokens must be unique to the consumer instance that reserved (issue 14, holes 4 and 7).
/// </summary>
public sealed class StrandedReserveTests : QueueTestBase
{
    [Fact]
    public async Task A_reserve_whose_reply_timed_out_gives_its_messages_back_at_once_uncounted()
    {
        var settings = new PriorityQueueSettings { KeyPrefix = KeyPrefix, Ranking = ClassicRanking };
        var observer = Queue();
        await observer.EnqueueBatchAsync([Message("a", 9), Message("b", 5), Message("c", 1)]);

        // A connection that gives up on a reply after 50 ms (checked every 50 ms), and a reserve whose script runs far
        // longer: it carries 300,000 acknowledgements of unknown messages, each one a lookup in the script.
        var options = ConfigurationOptions.Parse(Server.Configuration);
        options.AsyncTimeout = 50;
        options.SyncTimeout = 50;
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(50);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        await using var consumer = new RedisPriorityQueue(connection, "orders", settings);
        var unknown = Enumerable.Range(0, 300_000).Select(i => ($"unknown-{i}", 1L)).ToArray();

        await Assert.ThrowsAnyAsync<RedisTimeoutException>(() => consumer.AcknowledgeAndReserveByTokenAsync(unknown, 3, TimeSpan.FromMinutes(5)));

        // The script did run; its three messages come back to the ready set at once (not after the 5-minute lease)...
        // (Well before the lease ends: under a loaded machine the give-back may need a few of its retries, since each
        // try on this connection gives up after 50 ms too.)
        try
        {
            await Eventually.HoldsAsync(async () => await observer.GetCountsAsync() is { Ready: 3, InFlight: 0 }, TimeSpan.FromSeconds(60),
                "the three reserved messages to be given back");
        }
        catch (TimeoutException exception)
        {
            var counts = await observer.GetCountsAsync();
            var inflightKeys = KeysOfThisTest().Where(k => k.ToString().EndsWith(":inflight", StringComparison.Ordinal)).ToList();
            var members = inflightKeys.Count == 0 ? [] : await Database.SortedSetRangeByRankAsync(inflightKeys[0]);
            throw new TimeoutException($"The reserved messages were not given back: ready {counts.Ready}, in flight {counts.InFlight}, "
                + $"in-flight members [{string.Join(", ", members)}], keys [{string.Join(", ", KeysOfThisTest())}].", exception);
        }

        // ...in their order, and the lost reserve counts no delivery.
        var again = (await observer.ReserveAsync(3, TimeSpan.FromMinutes(1))).Messages;
        Assert.Equal(["a", "b", "c"], again.Select(m => m.Id));
        Assert.All(again, m => Assert.Equal(1, m.DeliveryCount));
    }

    [Fact]
    public async Task Lease_tokens_differ_between_consumer_instances_even_when_the_queue_counter_goes_back()
    {
        var first = Queue();
        var second = Queue();
        await first.EnqueueBatchAsync([Message("a"), Message("b")]);
        var a = (await first.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        Assert.True(await first.ReleaseAsync("a", a.LeaseToken, countDelivery: false));
        // A failover to a replica that missed the last writes: whatever lease counter the queue keeps goes back.
        foreach (var key in KeysOfThisTest().Where(k => k.ToString().EndsWith(":lease", StringComparison.Ordinal)))
            await Database.KeyDeleteAsync(key);
        var again = (await second.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();

        Assert.Equal("a", again.Id);
        Assert.NotEqual(a.LeaseToken, again.LeaseToken);
        // The first consumer's stale token settles nothing.
        Assert.False(await first.AcknowledgeAsync("a", a.LeaseToken));
        Assert.True(await second.AcknowledgeAsync("a", again.LeaseToken));
    }
}

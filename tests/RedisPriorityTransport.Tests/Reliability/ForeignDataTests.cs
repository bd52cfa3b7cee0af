using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Redis;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Reliability;

/// <summary>
/// Data in a queue's keys that this library did not write (or that was damaged): orphan members, records that are
/// not records, records with corrupt packed headers or out-of-range fields. Nothing throws, nothing loops, nothing
/// else in the queue is lost; an unreadable record is moved whole to the skipped queue with the reason.
/// </summary>
public class ForeignDataTests : QueueTestBase
{
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    readonly ITestOutputHelper _output;

    /// <summary>Runs against the shared standalone test server.</summary>
    public ForeignDataTests(ITestOutputHelper output)
        : this(output, RedisTestServer.GetAsync)
    {
    }

    /// <summary>Runs against the server <paramref name="serverSource"/> provides.</summary>
    protected ForeignDataTests(ITestOutputHelper output, Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource) => _output = output;

    string Key(string part) => $"{KeyPrefix}{{orders}}:orders:{part}";

    [RedisFact]
    public async Task Orphan_members_are_skipped_and_every_real_message_is_delivered_in_order()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync([Message("a", 5), Message("b", 5), Message("c", 1)]);
        // Ahead of every real message, and in flight and delayed: members without a record.
        await Database.SortedSetAddAsync(Key("ready"), [new SortedSetEntry("orphan", 0)]);
        await Database.SortedSetAddAsync(Key("inflight"), "ghost", 0);
        await Database.SortedSetAddAsync(Key("delayed"), "phantom", 0);

        var reclaimed = await queue.ReclaimExpiredAsync();
        var reserved = await queue.ReserveAsync(10, Lease);
        var counts = await queue.GetCountsAsync();

        _output.WriteLine($"orphans in ready, in flight and delayed: reclaim {reclaimed}, reserve gave " +
                         $"{string.Join(", ", reserved.Messages.Select(m => m.Id))}; afterwards ready {counts.Ready}, in flight {counts.InFlight}, delayed {counts.Delayed}");
        Assert.Equal(["a", "b", "c"], reserved.Messages.Select(m => m.Id));
        Assert.Equal(new ReclaimResult(0, 0), reclaimed);
        Assert.Equal((0L, 3L, 0L), (counts.Ready, counts.InFlight, counts.Delayed));
    }

    [RedisFact]
    public async Task A_value_that_is_not_a_record_goes_whole_to_the_skipped_queue_with_the_reason()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("intact", 9));
        await Database.HashSetAsync(Key("messages"), "foreign", "payload");
        await Database.SortedSetAddAsync(Key("ready"), "foreign", 0);

        var reserved = (await queue.ReserveAsync(10, Lease)).Messages;
        var skipped = (await DrainAsync(Queue(queue.SkippedQueueName))).Single();

        _output.WriteLine($"a bare value: reserve gave {string.Join(", ", reserved.Select(m => m.Id))}; skipped with '{skipped.Headers["rpt-reason"]}'");
        Assert.Equal(["intact"], reserved.Select(m => m.Id));
        Assert.Equal("foreign", skipped.Id);
        Assert.Equal("payload", System.Text.Encoding.UTF8.GetString(skipped.Body));
        Assert.Contains("unreadable message record", skipped.Headers["rpt-reason"]);
        Assert.Equal(1, (await queue.GetCountsAsync()).InFlight);
    }

    [RedisFact]
    public async Task Corrupt_headers_do_not_strand_the_batch()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync([Message("first", 7), Message("damaged", 6), Message("last", 5)]);
        // Valid metadata claiming 12 bytes of headers that do not decode.
        await Database.HashSetAsync(Key("messages"), "damaged", "6,255,2,1700000000000,0,12|99:truncatedbody");

        var reserved = (await queue.ReserveAsync(10, Lease)).Messages;
        var skipped = (await DrainAsync(Queue(queue.SkippedQueueName))).Single();

        _output.WriteLine($"corrupt packed headers: reserve gave {string.Join(", ", reserved.Select(m => m.Id))}; skipped with '{skipped.Headers["rpt-reason"]}'");
        Assert.Equal(["first", "last"], reserved.Select(m => m.Id));
        Assert.Equal("damaged", skipped.Id);
        Assert.Equal("6,255,2,1700000000000,0,12|99:truncatedbody", System.Text.Encoding.UTF8.GetString(skipped.Body));
        Assert.Contains("Packed headers are corrupt", skipped.Headers["rpt-reason"]);
        Assert.Equal(2, (await queue.GetCountsAsync()).InFlight);
    }

    [RedisFact]
    public async Task Out_of_range_metadata_breaks_neither_reserve_nor_lease_expiry()
    {
        var queue = Queue(configure: s => s.MaxDeliveryCount = 2);
        await queue.EnqueueBatchAsync([Message("normal", 8), Message("odd-urgency", 7)]);
        await Database.HashSetAsync(Key("messages"), "odd-urgency", "42,0,2,1700000000000,0,0|body");

        var first = (await queue.ReserveAsync(10, TimeSpan.FromMilliseconds(100))).Messages;
        await Eventually.HoldsAsync(async () => (await queue.ReclaimExpiredAsync()).Returned == 1,
            TimeSpan.FromSeconds(30), "the lease to expire and come back");
        var second = await DrainAsync(queue);
        var skipped = await DrainAsync(Queue(queue.SkippedQueueName));

        _output.WriteLine($"urgency 42 in a record: first {string.Join(", ", first.Select(m => m.Id))}, after expiry {string.Join(", ", second.Select(m => $"{m.Id} x{m.DeliveryCount}"))}, skipped {skipped.Count}");
        Assert.Equal(["normal"], first.Select(m => m.Id));
        Assert.Equal(["normal"], second.Select(m => m.Id));
        Assert.Equal(2, second[0].DeliveryCount);
        Assert.Equal("odd-urgency", Assert.Single(skipped).Id);
    }
}

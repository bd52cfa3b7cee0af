using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Redis;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Reliability;

/// <summary>
/// Data in a queue's keys that this library did not write (or that was damaged): orphan members, keys of another
/// type, hashes with missing or non-numeric fields, corrupt packed headers. Nothing throws, nothing loops, nothing
/// else in the queue is lost; a malformed message is delivered with <see cref="ReservedMessage.FormatProblem"/> set
/// and can be moved to the skipped queue.
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
    public async Task Orphan_members_and_foreign_keys_are_skipped_and_every_real_message_is_delivered_in_order()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync([Message("a", 5), Message("b", 5), Message("c", 1)]);
        // Ahead of every real message: a member without a hash, and one whose key is a string.
        await Database.SortedSetAddAsync(Key("ready"), [new SortedSetEntry("orphan", 0), new SortedSetEntry("stringy", 1)]);
        await Database.StringSetAsync(Key("m:stringy"), "not a hash");
        await Database.SortedSetAddAsync(Key("inflight"), "ghost", 0);
        await Database.SortedSetAddAsync(Key("delayed"), "phantom", 0);

        var reclaimed = await queue.ReclaimExpiredAsync();
        var reserved = await queue.ReserveAsync(10, Lease);
        var counts = await queue.GetCountsAsync();

        _output.WriteLine($"orphans in ready, in flight and delayed, and a string key: reclaim {reclaimed}, reserve gave " +
                         $"{string.Join(", ", reserved.Messages.Select(m => m.Id))}; afterwards ready {counts.Ready}, in flight {counts.InFlight}, delayed {counts.Delayed}");
        Assert.Equal(["a", "b", "c"], reserved.Messages.Select(m => m.Id));
        Assert.All(reserved.Messages, m => Assert.Null(m.FormatProblem));
        Assert.Equal(new ReclaimResult(0, 0), reclaimed);
        Assert.Equal((0L, 3L, 0L), (counts.Ready, counts.InFlight, counts.Delayed));
        Assert.Equal("not a hash", (string?)await Database.StringGetAsync(Key("m:stringy"))); // foreign data is left alone
    }

    [RedisFact]
    public async Task A_hash_with_missing_fields_is_delivered_with_its_problem_named_and_can_be_moved_to_skipped()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("intact", 9));
        await Database.HashSetAsync(Key("m:foreign"), [new HashEntry("b", "payload")]);
        await Database.SortedSetAddAsync(Key("ready"), "foreign", 0);

        var reserved = (await queue.ReserveAsync(10, Lease)).Messages;

        var foreign = reserved.Single(m => m.Id == "foreign");
        _output.WriteLine($"hash with only a body: {foreign.FormatProblem}");
        Assert.Equal("payload", System.Text.Encoding.UTF8.GetString(foreign.Body));
        Assert.Contains("urgency field 'u' is missing", foreign.FormatProblem);
        Assert.Contains("sequence field 's' is missing", foreign.FormatProblem);
        Assert.Contains("'foreign'", foreign.FormatProblem);
        Assert.Null(reserved.Single(m => m.Id == "intact").FormatProblem);

        Assert.NotNull(await queue.MoveAsync(foreign.Id, foreign.LeaseToken, queue.SkippedQueueName, foreign.FormatProblem!));
        var skipped = (await DrainAsync(Queue(queue.SkippedQueueName))).Single();
        Assert.Equal(foreign.FormatProblem, skipped.Headers["rpt-reason"]);
    }

    [RedisFact]
    public async Task Corrupt_headers_are_reported_on_the_message_not_thrown_and_the_batch_is_not_stranded()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync([Message("first", 7), Message("damaged", 6), Message("last", 5)]);
        await Database.HashSetAsync(Key("m:damaged"), "h", "99:truncated");

        var reserved = (await queue.ReserveAsync(10, Lease)).Messages;

        var damaged = reserved.Single(m => m.Id == "damaged");
        _output.WriteLine($"corrupt packed headers: {damaged.FormatProblem}");
        Assert.Equal(["first", "damaged", "last"], reserved.Select(m => m.Id));
        Assert.Contains("headers field 'h': Packed headers are corrupt at byte 0", damaged.FormatProblem);
        Assert.Empty(damaged.Headers);
        Assert.Equal(Urgency.AboveNormal, damaged.Priority.Urgency);
        Assert.All(reserved.Where(m => m.Id != "damaged"), m => Assert.Null(m.FormatProblem));
    }

    [RedisFact]
    public async Task Non_numeric_fields_break_neither_reserve_nor_lease_expiry()
    {
        var queue = Queue(configure: s => s.MaxDeliveryCount = 2);
        await queue.EnqueueBatchAsync([Message("odd-count", 8), Message("odd-urgency", 7), Message("normal", 6)]);
        await Database.HashSetAsync(Key("m:odd-count"), "d", "many");
        await Database.HashSetAsync(Key("m:odd-urgency"), "u", "high");

        var first = (await queue.ReserveAsync(10, TimeSpan.FromMilliseconds(100))).Messages;
        var reclaimed = 0;
        await Eventually.HoldsAsync(async () => (reclaimed += (await queue.ReclaimExpiredAsync()).Returned) == 3,
            TimeSpan.FromSeconds(30), "the three leases to expire and come back");
        var second = await DrainAsync(queue);

        _output.WriteLine($"'d'=many and 'u'=high: first deliveries {string.Join(", ", first.Select(m => $"{m.Id} x{m.DeliveryCount}"))}; " +
                         $"after expiry {string.Join(", ", second.Select(m => $"{m.Id} x{m.DeliveryCount}"))}; problem: {first.Single(m => m.Id == "odd-urgency").FormatProblem}");
        Assert.Equal(3, first.Count);
        Assert.Equal(1, first.Single(m => m.Id == "odd-count").DeliveryCount);
        Assert.Contains("urgency field 'u' is 'high', not 0..10", first.Single(m => m.Id == "odd-urgency").FormatProblem);
        Assert.Equal(3, second.Count);
        Assert.All(second, m => Assert.Equal(2, m.DeliveryCount));
    }
}

using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Redis;

public class LeaseTests : QueueTestBase
{
    /// <summary>Runs against the shared standalone test server.</summary>
    public LeaseTests()
    {
    }

    /// <summary>Runs against the server <paramref name="serverSource"/> provides (see <see cref="Reliability.ClusterEngineTests"/>).</summary>
    protected LeaseTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    static readonly TimeSpan Short = TimeSpan.FromMilliseconds(150);
    static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    static async Task WaitUntilReclaimedAsync(RedisPriorityQueue queue, int expected = 1)
    {
        var reclaimed = 0;
        await Eventually.HoldsAsync(async () =>
        {
            var result = await queue.ReclaimExpiredAsync();
            reclaimed += result.Returned + result.DeadLettered;
            return reclaimed >= expected;
        }, Patience, $"{expected} expired lease(s) to be reclaimed");
    }

    [RedisFact]
    public async Task A_lease_is_held_by_its_in_flight_member_and_no_token_hash_is_written()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("held"));
        var reserved = (await queue.ReserveAsync(1, Long)).Messages.Single();

        // The token lives in the member: holding a lease is one ZSCORE, and nothing per message is written elsewhere.
        var inflight = KeysOfThisTest().Single(k => k.ToString().EndsWith(":inflight"));
        Assert.Equal([$"held {reserved.LeaseToken}"], (await Database.SortedSetRangeByRankAsync(inflight)).Select(m => (string)m!));
        Assert.DoesNotContain(KeysOfThisTest(), k => k.ToString().EndsWith(":tokens"));
        Assert.True(await queue.RenewLeaseAsync("held", reserved.LeaseToken, Long));
        Assert.False(await queue.RenewLeaseAsync("held", reserved.LeaseToken + 1, Long));
        Assert.True(await queue.AcknowledgeAsync("held", reserved.LeaseToken));
        Assert.Equal(0, await Database.SortedSetLengthAsync(inflight));
    }

    [RedisFact]
    public async Task Only_deliveries_that_end_unsettled_are_written_down()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync([Message("calm"), Message("bumpy")]);
        var calm = (await queue.ReserveAsync(1, Long)).Messages.Single();
        Assert.Equal(("calm", 1), (calm.Id, calm.DeliveryCount));
        // A first delivery writes nothing: no delivery count hash exists while no message came back.
        Assert.DoesNotContain(KeysOfThisTest(), k => k.ToString().EndsWith(":deliveries"));
        Assert.True(await queue.AcknowledgeAsync("calm", calm.LeaseToken));

        var bumpy = (await queue.ReserveAsync(1, Long)).Messages.Single();
        Assert.True(await queue.ReleaseAsync("bumpy", bumpy.LeaseToken));
        var again = (await queue.ReserveAsync(1, Long)).Messages.Single();
        Assert.Equal(("bumpy", 2), (again.Id, again.DeliveryCount));
        // Given back without counting (as a stopping consumer does): the count stays.
        Assert.True(await queue.ReleaseAsync("bumpy", again.LeaseToken, countDelivery: false));
        var third = (await queue.ReserveAsync(1, Long)).Messages.Single();
        Assert.Equal(2, third.DeliveryCount);
        Assert.True(await queue.AcknowledgeAsync("bumpy", third.LeaseToken));
        Assert.DoesNotContain(KeysOfThisTest(), k => k.ToString().EndsWith(":deliveries"));
    }

    [RedisFact]
    public async Task An_expired_lease_returns_the_message_to_its_original_place_with_one_more_delivery()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync([Message("first"), Message("second"), Message("third")]);
        var first = (await queue.ReserveAsync(1, Short)).Messages.Single();
        Assert.Equal(1, first.DeliveryCount);
        Assert.False(first.Redelivered);

        await WaitUntilReclaimedAsync(queue);
        var again = await DrainAsync(queue);

        Assert.Equal(["first", "second", "third"], again.Select(m => m.Id));
        Assert.Equal(2, again[0].DeliveryCount);
        Assert.True(again[0].Redelivered);
        Assert.Equal(first.Sequence, again[0].Sequence);
    }

    [RedisFact]
    public async Task Reserve_itself_reclaims_expired_leases()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("crashed"));
        await queue.ReserveAsync(1, Short);

        ReservedMessage? redelivered = null;
        await Eventually.HoldsAsync(async () =>
        {
            redelivered = (await queue.ReserveAsync(1, Long)).Messages.SingleOrDefault();
            return redelivered is not null;
        }, Patience, "the crashed delivery to come back");

        Assert.Equal("crashed", redelivered!.Id);
        Assert.Equal(2, redelivered.DeliveryCount);
    }

    [RedisFact]
    public async Task A_message_past_the_maximum_delivery_count_goes_to_the_error_queue_with_its_reason()
    {
        var queue = Queue(configure: s => s.MaxDeliveryCount = 2);
        await queue.EnqueueAsync(Message("poison", 8, "alert", headers: new Dictionary<string, string> { ["trace"] = "t1" }));
        await queue.EnqueueAsync(Message("fine", 1));

        for (var delivery = 1; delivery <= 2; delivery++)
        {
            var reserved = (await queue.ReserveAsync(1, Short)).Messages.Single();
            Assert.Equal(("poison", delivery), (reserved.Id, reserved.DeliveryCount));
            await WaitUntilReclaimedAsync(queue);
        }

        var remaining = await DrainAsync(queue);
        Assert.Equal(["fine"], remaining.Select(m => m.Id));

        var errors = Queue(queue.ErrorQueueName);
        var dead = (await DrainAsync(errors)).Single();
        Assert.Equal("poison", dead.Id);
        Assert.Equal(new MessagePriority(Urgency.Prioritize, "alert"), dead.Priority);
        Assert.Equal("t1", dead.Headers["trace"]);
        Assert.Contains("lease expired after 2 deliveries", dead.Headers["rpt-reason"]);
        Assert.Equal(1, dead.DeliveryCount);
    }

    [RedisFact]
    public async Task A_stale_lease_token_cannot_settle_the_message()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("contested"));
        var stale = (await queue.ReserveAsync(1, Short)).Messages.Single();
        await WaitUntilReclaimedAsync(queue);
        var current = (await queue.ReserveAsync(1, Long)).Messages.Single();
        Assert.NotEqual(stale.LeaseToken, current.LeaseToken);

        Assert.False(await queue.AcknowledgeAsync("contested", stale.LeaseToken));
        Assert.False(await queue.ReleaseAsync("contested", stale.LeaseToken));
        Assert.False(await queue.RenewLeaseAsync("contested", stale.LeaseToken, Long));
        Assert.Null(await queue.MoveAsync("contested", stale.LeaseToken, queue.ErrorQueueName, "stale"));
        Assert.Equal(1, (await queue.GetCountsAsync()).InFlight);

        Assert.True(await queue.AcknowledgeAsync("contested", current.LeaseToken));
        Assert.False(await queue.AcknowledgeAsync("contested", current.LeaseToken));
        var counts = await queue.GetCountsAsync();
        Assert.Equal((0, 0L), (counts.InFlight, counts.Ready));
        Assert.DoesNotContain(KeysOfThisTest(), k => k.ToString().EndsWith(":messages") || k.ToString().EndsWith(":tokens") || k.ToString().EndsWith(":deliveries"));
    }

    [RedisFact]
    public async Task One_call_acknowledges_finished_messages_and_reserves_the_next_ones_in_priority_order()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync([Message("a", urgency: 9), Message("b", urgency: 8), Message("c", urgency: 2), Message("d", urgency: 7)]);
        var first = (await queue.ReserveAsync(2, Long)).Messages;
        Assert.Equal(["a", "b"], first.Select(m => m.Id));

        // One acknowledgement is current, one carries a wrong token: only the current one deletes its message.
        var result = await queue.AcknowledgeAndReserveByTokenAsync([("a", first[0].LeaseToken), ("b", first[1].LeaseToken + 1000)], 5, Long);
        Assert.Equal([true, false], result.Acknowledged);
        Assert.Equal(["d", "c"], result.Reserved.Messages.Select(m => m.Id));
        var counts = await queue.GetCountsAsync();
        Assert.Equal((0L, 3L), (counts.Ready, counts.InFlight));

        // Acknowledging only (no slot free) still settles; the public form takes the reserved messages themselves.
        var settle = await queue.AcknowledgeAndReserveAsync([first[1], .. result.Reserved.Messages], 0, Long);
        Assert.Equal([true, true, true], settle.Acknowledged);
        Assert.Empty(settle.Reserved.Messages);
        Assert.Equal(0, (await queue.GetCountsAsync()).InFlight);
        Assert.DoesNotContain(KeysOfThisTest(), k => k.ToString().EndsWith(":messages") || k.ToString().EndsWith(":tokens"));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.AcknowledgeAndReserveByTokenAsync([], -1, Long));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.AcknowledgeAndReserveByTokenAsync([("", 1)], 1, Long));
        var other = Queue("invoices");
        await other.EnqueueAsync(Message("x"));
        var foreign = (await other.ReserveAsync(1, Long)).Messages[0];
        var wrongQueue = await Assert.ThrowsAsync<ArgumentException>(() => queue.AcknowledgeAndReserveAsync([foreign], 1, Long));
        Assert.Contains("'invoices'", wrongQueue.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => queue.AcknowledgeAndReserveAsync([null!], 1, Long));
        Assert.Equal(1, (await other.GetCountsAsync()).InFlight);
    }

    [RedisFact]
    public async Task Thousands_of_messages_enqueue_reserve_and_acknowledge_in_one_call_each_in_priority_order_with_their_counts()
    {
        // The scripts pass a call's ids to one variadic command (ZADD, HMGET, HDEL); 4,500 messages are 9,000 ZADD
        // values, more than Lua's stack holds for one unpack, so this fails unless the values go in chunks.
        const int count = 4_500;
        var queue = Queue();
        await queue.EnqueueAsync(Message("again", urgency: 1));
        var first = (await queue.ReserveAsync(1, Long)).Messages.Single();
        Assert.True(await queue.ReleaseAsync("again", first.LeaseToken, countDelivery: true));
        var batch = Enumerable.Range(0, count).Select(i => Message($"m{i:D4}", urgency: i % 2 == 0 ? 3 : 8)).ToArray();
        Assert.All(await queue.EnqueueBatchAsync(batch), result => Assert.False(result.IsDuplicate));

        var reserved = (await queue.ReserveAsync(count + 1, Long)).Messages;
        var expected = batch.Where((_, i) => i % 2 == 1).Concat(batch.Where((_, i) => i % 2 == 0)).Select(m => m.Id).Append("again");
        Assert.Equal(expected, reserved.Select(m => m.Id));
        Assert.Equal(2, reserved[^1].DeliveryCount);
        Assert.All(reserved.SkipLast(1), m => Assert.Equal(1, m.DeliveryCount));
        Assert.Equal(count + 1, reserved.Select(m => m.LeaseToken).Distinct().Count());
        Assert.Equal(count + 1L, (await queue.GetCountsAsync()).InFlight);

        var settled = await queue.AcknowledgeAndReserveAsync(reserved, 1, Long);
        Assert.Equal(count + 1, settled.Acknowledged.Count(x => x));
        Assert.Empty(settled.Reserved.Messages);
        var counts = await queue.GetCountsAsync();
        Assert.Equal((0L, 0L), (counts.Ready, counts.InFlight));
        Assert.DoesNotContain(KeysOfThisTest(), k => k.ToString().EndsWith(":messages") || k.ToString().EndsWith(":deliveries"));
    }

    [RedisFact]
    public async Task A_renewed_lease_outlives_its_first_expiry()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("slow"));
        var reserved = (await queue.ReserveAsync(1, TimeSpan.FromMilliseconds(300))).Messages.Single();

        Assert.True(await queue.RenewLeaseAsync("slow", reserved.LeaseToken, Long));
        await Eventually.HoldsAsync(() => Task.FromResult(DateTimeOffset.UtcNow > reserved.LeaseExpiresAt.AddMilliseconds(200)),
            Patience, "the first lease to pass");

        Assert.Equal(new ReclaimResult(0, 0), await queue.ReclaimExpiredAsync());
        Assert.True(await queue.AcknowledgeAsync("slow", reserved.LeaseToken));
    }

    [RedisFact]
    public async Task Release_puts_the_message_back_at_its_original_place_or_delays_it()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync([Message("a"), Message("b"), Message("c")]);
        var a = (await queue.ReserveAsync(1, Long)).Messages.Single();

        Assert.True(await queue.ReleaseAsync("a", a.LeaseToken, countDelivery: false));
        var order = await DrainAsync(queue, acknowledge: false);
        Assert.Equal(["a", "b", "c"], order.Select(m => m.Id));
        Assert.Equal(1, order[0].DeliveryCount);

        Assert.True(await queue.ReleaseAsync("b", order[1].LeaseToken, delay: TimeSpan.FromMilliseconds(200)));
        var counts = await queue.GetCountsAsync();
        Assert.Equal((1L, 2L, 0L), (counts.Delayed, counts.InFlight, counts.Ready));
        await Eventually.HoldsAsync(async () => (await queue.ReserveAsync(1, Long)).Messages.SingleOrDefault()?.Id == "b",
            Patience, "the delayed release to become ready");
    }

    [RedisFact]
    public async Task Move_takes_the_message_with_priority_and_extra_headers_to_the_skipped_queue()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("odd", 10, "alert", body: "payload"));
        var reserved = (await queue.ReserveAsync(1, Long)).Messages.Single();

        var movedId = await queue.MoveAsync("odd", reserved.LeaseToken, queue.SkippedQueueName, "no consumer",
            new Dictionary<string, string> { ["MT-Fault-Message"] = "boom" });

        Assert.Equal("odd", movedId);
        Assert.False(await queue.AcknowledgeAsync("odd", reserved.LeaseToken));
        Assert.Equal(0, (await queue.GetCountsAsync()).InFlight);
        var skipped = (await DrainAsync(Queue(queue.SkippedQueueName))).Single();
        Assert.Equal("payload", System.Text.Encoding.UTF8.GetString(skipped.Body));
        Assert.Equal(new MessagePriority(Urgency.Critical, "alert"), skipped.Priority);
        Assert.Equal("no consumer", skipped.Headers["rpt-reason"]);
        Assert.Equal("boom", skipped.Headers["MT-Fault-Message"]);
    }

    [RedisFact]
    public async Task A_second_failure_of_the_same_id_keeps_both_copies_in_the_error_queue()
    {
        var queue = Queue();
        for (var i = 0; i < 2; i++)
        {
            await queue.EnqueueAsync(Message("repeat", body: $"copy{i}"));
            var reserved = (await queue.ReserveAsync(1, Long)).Messages.Single();
            await queue.MoveAsync("repeat", reserved.LeaseToken, queue.ErrorQueueName, $"failure {i}");
        }

        var errors = await DrainAsync(Queue(queue.ErrorQueueName));

        Assert.Equal(["copy0", "copy1"], errors.Select(m => System.Text.Encoding.UTF8.GetString(m.Body)));
        Assert.Equal("repeat", errors[0].Id);
        Assert.StartsWith("repeat#", errors[1].Id);
    }

    [RedisFact]
    public async Task Moving_to_a_queue_of_another_hash_tag_is_refused()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("x"));
        var reserved = (await queue.ReserveAsync(1, Long)).Messages.Single();

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => queue.MoveAsync("x", reserved.LeaseToken, "elsewhere_error", "why"));

        Assert.Contains("elsewhere_error", exception.Message);
        Assert.Equal(1, (await queue.GetCountsAsync()).InFlight);
    }

    [Fact]
    public async Task A_damaged_record_is_moved_to_the_skipped_queue_whole_and_the_queue_keeps_flowing()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("good", 5));
        // A foreign writer puts something that is not a message record into the queue.
        await Database.HashSetAsync(KeyPrefix + "{orders}:orders:messages", "foreign", "not a record");
        await Database.SortedSetAddAsync(KeyPrefix + "{orders}:orders:ready", "foreign", 0);

        var received = await DrainAsync(queue);

        Assert.Equal(["good"], received.Select(m => m.Id));
        var skipped = (await DrainAsync(Queue(queue.SkippedQueueName))).Single();
        Assert.Equal("foreign", skipped.Id);
        Assert.Equal("not a record", System.Text.Encoding.UTF8.GetString(skipped.Body));
        Assert.Contains("unreadable message record", skipped.Headers["rpt-reason"]);
    }
}

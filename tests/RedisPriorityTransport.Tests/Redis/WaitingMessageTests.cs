using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Redis;

public class WaitingMessageTests : QueueTestBase
{
    /// <summary>Runs against the shared standalone test server.</summary>
    public WaitingMessageTests()
    {
    }

    /// <summary>Runs against the server <paramref name="serverSource"/> provides (see <see cref="Reliability.ClusterEngineTests"/>).</summary>
    protected WaitingMessageTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    [RedisFact]
    public async Task Changing_urgency_keeps_the_enqueue_sequence()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync([Message("a", 3), Message("b", 3), Message("c", 5)]);

        Assert.True(await queue.ChangePriorityAsync("b", new MessagePriority(Urgency.Normal)));

        // b was enqueued before c, so in their shared urgency it comes first.
        var order = await DrainAsync(queue);
        Assert.Equal(["b", "c", "a"], order.Select(m => m.Id));
        Assert.Equal(Urgency.Normal, order[0].Priority.Urgency);
    }

    [RedisFact]
    public async Task Changing_the_event_type_reorders_within_the_urgency()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync([Message("tx", 5, "transaction"), Message("log", 5, "log")]);

        Assert.True(await queue.ChangePriorityAsync("log", new MessagePriority(Urgency.Normal, "alert")));

        var order = await DrainAsync(queue);
        Assert.Equal(["log", "tx"], order.Select(m => m.Id));
        Assert.Equal("alert", order[0].Priority.EventType);
    }

    [RedisFact]
    public async Task Changing_a_delayed_message_applies_when_it_becomes_ready()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("later", 1, delay: TimeSpan.FromMilliseconds(100)));
        await queue.EnqueueAsync(Message("now", 5));

        Assert.True(await queue.ChangePriorityAsync("later", new MessagePriority(Urgency.Critical)));
        ReservedMessage? first = null;
        await Eventually.HoldsAsync(async () =>
        {
            // Reserving nothing still promotes due messages.
            await queue.ReserveAsync(0, Lease);
            if ((await queue.GetCountsAsync()).Delayed > 0)
                return false;
            first = (await queue.ReserveAsync(1, Lease)).Messages.Single();
            return true;
        }, TimeSpan.FromSeconds(20), "the delayed message to become due");

        Assert.Equal("later", first!.Id);
        Assert.Equal(Urgency.Critical, first.Priority.Urgency);
    }

    [RedisFact]
    public async Task Only_waiting_messages_can_be_changed_or_cancelled()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync([Message("busy", 9), Message("waiting"), Message("parked", delay: TimeSpan.FromMinutes(5))]);
        await queue.ReserveAsync(1, Lease);

        Assert.False(await queue.ChangePriorityAsync("busy", new MessagePriority(Urgency.Low)));
        Assert.False(await queue.CancelAsync("busy"));
        Assert.False(await queue.CancelAsync("unknown"));
        Assert.False(await queue.ChangePriorityAsync("unknown", new MessagePriority(Urgency.Low)));
        Assert.True(await queue.CancelAsync("waiting"));
        Assert.True(await queue.CancelAsync("parked"));
        Assert.False(await queue.CancelAsync("waiting"));

        var counts = await queue.GetCountsAsync();
        Assert.Equal((0L, 0L, 1L), (counts.Ready, counts.Delayed, counts.InFlight));
        Assert.True((await queue.EnqueueAsync(Message("waiting"))).Added);
    }

    [RedisFact]
    public async Task A_delayed_message_is_not_ready_before_its_due_time_and_keeps_its_priority()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("scheduled", 9, "alert", delay: TimeSpan.FromSeconds(1)));

        var early = await queue.ReserveAsync(10, Lease);
        Assert.Empty(early.Messages);
        Assert.NotNull(early.NextDelayedDueIn);
        Assert.InRange(early.NextDelayedDueIn!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(1));

        var due = await queue.ReserveOrWaitAsync(10, Lease, TimeSpan.FromSeconds(20));
        var message = Assert.Single(due.Messages);
        Assert.Equal(new MessagePriority(Urgency.Urgent, "alert"), message.Priority);
        Assert.Null(due.NextDelayedDueIn);
    }

    [RedisFact]
    public async Task A_due_time_works_like_a_delay_and_a_past_one_means_now()
    {
        var queue = Queue();
        await queue.EnqueueAsync(new QueueMessage("future", new byte[1]) { DueAt = DateTimeOffset.UtcNow.AddMinutes(10) });
        await queue.EnqueueAsync(new QueueMessage("past", new byte[1]) { DueAt = DateTimeOffset.UtcNow.AddMinutes(-10) });
        await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync(
            new QueueMessage("both", new byte[1]) { DueAt = DateTimeOffset.UtcNow, Delay = TimeSpan.FromSeconds(1) }));

        var reserved = await queue.ReserveAsync(10, Lease);

        Assert.Equal("past", Assert.Single(reserved.Messages).Id);
        Assert.InRange(reserved.NextDelayedDueIn!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    [RedisFact]
    public async Task Delayed_messages_queue_up_in_due_order_within_their_priority()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("due-second", delay: TimeSpan.FromMilliseconds(300)));
        await queue.EnqueueAsync(Message("due-first", delay: TimeSpan.FromMilliseconds(100)));
        await Eventually.HoldsAsync(async () => (await queue.ReserveAsync(0, Lease)) is not null && (await queue.GetCountsAsync()).Ready == 2,
            TimeSpan.FromSeconds(20), "both delayed messages to become ready");

        Assert.Equal(["due-first", "due-second"], (await DrainAsync(queue)).Select(m => m.Id));
    }

    [RedisFact]
    public async Task Counts_report_urgencies_bands_in_flight_delayed_and_oldest_age()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync([Message("c1", 10), Message("c2", 10, "alert"), Message("n1", 5), Message("l1", 0)]);
        await queue.EnqueueAsync(Message("d1", 9, delay: TimeSpan.FromMinutes(5)));
        await queue.EnqueueAsync(Message("h1", 8, "log"));
        await queue.ReserveAsync(1, Lease); // c2: alert outranks the unranked c1

        var counts = await queue.GetCountsAsync();

        Assert.Equal(4, counts.Ready);
        Assert.Equal(1, counts.ReadyByUrgency[Urgency.Critical]);
        Assert.Equal(1, counts.ReadyByUrgency[Urgency.Prioritize]);
        Assert.Equal(0, counts.ReadyByUrgency[Urgency.Urgent]);
        Assert.Equal(11, counts.ReadyByUrgency.Count);
        Assert.Equal(2, counts.ReadyByBand[UrgencyBand.High]);
        Assert.Equal(1, counts.ReadyByBand[UrgencyBand.Normal]);
        Assert.Equal(1, counts.ReadyByBand[UrgencyBand.Low]);
        Assert.Equal(1, counts.InFlight);
        Assert.Equal(1, counts.Delayed);
        Assert.All(counts.OldestReadyAgeByBand.Values, age => Assert.InRange(age!.Value, TimeSpan.Zero, TimeSpan.FromMinutes(1)));
        // c1 was enqueued before h1, and it is the first of its class; the band's oldest is c1's age or more.
        Assert.True(counts.OldestReadyAgeByBand[UrgencyBand.High] >= TimeSpan.Zero);

        await DrainAsync(queue);
        var empty = await queue.GetCountsAsync();
        Assert.All(empty.OldestReadyAgeByBand.Values, Assert.Null);
    }

    [RedisFact]
    public async Task Oldest_age_per_band_finds_the_oldest_message_across_classes()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("old-log", 5, "log"));
        await Eventually.HoldsAsync(async () => (await queue.GetCountsAsync()).OldestReadyAgeByBand[UrgencyBand.Normal] >= TimeSpan.FromMilliseconds(300),
            TimeSpan.FromSeconds(20), "the first message to age");
        await queue.EnqueueAsync(Message("new-alert", 7, "alert"));

        var age = (await queue.GetCountsAsync()).OldestReadyAgeByBand[UrgencyBand.Normal];

        // The band's first message in delivery order is the young alert; the oldest is the log behind it.
        Assert.True(age >= TimeSpan.FromMilliseconds(300), $"oldest age was {age}");
    }

    [RedisFact]
    public async Task Purge_removes_everything_with_its_hashes()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync(Enumerable.Range(0, 2500).Select(i => Message($"m{i}", i % 11)).ToList());
        await queue.EnqueueAsync(Message("later", delay: TimeSpan.FromMinutes(5)));
        await queue.ReserveAsync(3, Lease);

        Assert.Equal(2501, await queue.PurgeAsync());

        var counts = await queue.GetCountsAsync();
        Assert.Equal((0L, 0L, 0L), (counts.Ready, counts.Delayed, counts.InFlight));
        Assert.DoesNotContain(KeysOfThisTest(), k => k.ToString().EndsWith(":messages") || k.ToString().EndsWith(":tokens") || k.ToString().EndsWith(":deliveries"));
    }
}

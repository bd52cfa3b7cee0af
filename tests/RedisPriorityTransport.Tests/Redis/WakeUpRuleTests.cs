using RedisPriorityTransport.Redis;
using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisPriorityTransport.Tests.Redis;

/// <summary>
/// When an enqueue publishes a wake-up (includes/sleepers.lua): a receive loop that registered with its reserve as
/// coming back within the budget is not woken; one that waits idle is, and so is every caller that does not register.
/// Each test reads the queue's wake channel up to a marker it publishes itself after the enqueue: a subscriber receives
/// a channel's messages in the order Redis published them, so "no wake-up before the marker" is exact, not a timeout.
/// Standalone only: on a cluster the marker and the script's notification may be published by different nodes.
/// </summary>
public class WakeUpRuleTests : QueueTestBase
{
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    [RedisFact]
    public async Task An_enqueue_does_not_wake_a_loop_with_messages_running_that_comes_back_within_the_budget()
    {
        var queue = Queue();
        await RegisterAsync(queue, "loop-a", running: 1);

        Assert.False(await EnqueueWakesAsync(queue, "m1"));
    }

    [RedisFact]
    public async Task An_enqueue_does_not_wake_a_loop_whose_short_reply_started_messages()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("first"));
        var reply = await RegisterAsync(queue, "loop-a", running: 0);
        Assert.Single(reply.Reserved.Messages);

        Assert.False(await EnqueueWakesAsync(queue, "m1"));
    }

    [RedisFact]
    public async Task An_enqueue_wakes_a_loop_that_waits_idle()
    {
        var queue = Queue();
        await RegisterAsync(queue, "loop-a", running: 0);

        Assert.True(await EnqueueWakesAsync(queue, "m1"));
    }

    [RedisFact]
    public async Task An_enqueue_wakes_a_busy_loop_whose_handlers_proved_slow()
    {
        var queue = Queue();
        // After a short wait that found nothing new, the loop registers its busy wait as the fallback poll.
        await RegisterAsync(queue, "loop-a", running: 1, busyWaitMs: 60_000);

        Assert.True(await EnqueueWakesAsync(queue, "m1"));
    }

    [RedisFact]
    public async Task One_idle_loop_is_enough_for_a_wake_up_whatever_the_others_registered()
    {
        var queue = Queue();
        await RegisterAsync(queue, "busy", running: 3);
        await RegisterAsync(queue, "idle", running: 0);

        Assert.True(await EnqueueWakesAsync(queue, "m1"));
    }

    [RedisFact]
    public async Task Callers_that_do_not_register_are_woken_as_before()
    {
        var queue = Queue();
        await queue.ReserveAsync(4, Lease);

        Assert.True(await EnqueueWakesAsync(queue, "m1"));
        Assert.Empty(await Database.HashGetAllAsync(KeysOf(queue).Sleepers));
    }

    [RedisFact]
    public async Task A_loop_that_got_all_it_asked_for_or_asked_for_nothing_leaves_the_sleepers()
    {
        var queue = Queue();
        var sleepers = KeysOf(queue).Sleepers;
        await RegisterAsync(queue, "loop-a", running: 1);
        Assert.True(await Database.HashExistsAsync(sleepers, "loop-a"));

        await queue.EnqueueAsync(Message("m1"));
        var full = await RegisterAsync(queue, "loop-a", running: 1, slots: 1);
        Assert.Single(full.Reserved.Messages);
        Assert.False(await Database.HashExistsAsync(sleepers, "loop-a"));

        await RegisterAsync(queue, "loop-a", running: 1);
        var message = full.Reserved.Messages[0];
        await queue.AcknowledgeAndReserveByTokenAsync([(message.Id, message.LeaseToken)], 0, Lease,
            sleeper: new SleeperRegistration("loop-a", Running: 0, BusyWaitMs: 2, IdleWaitMs: 60_000));
        Assert.False(await Database.HashExistsAsync(sleepers, "loop-a"));
        Assert.True(await EnqueueWakesAsync(queue, "m2"));
    }

    [RedisFact]
    public async Task A_registration_long_past_its_time_is_dropped_and_wakes_are_published_again()
    {
        var queue = Queue();
        var sleepers = KeysOf(queue).Sleepers;
        var now = await RedisNowMsAsync();
        // A loop that stopped without a last reserve: registered as coming back two minutes ago.
        await Database.HashSetAsync(sleepers, "gone", (now - 120_000).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(await EnqueueWakesAsync(queue, "m1"));
        Assert.False(await Database.HashExistsAsync(sleepers, "gone"));
    }

    [RedisFact]
    public async Task A_new_earliest_delayed_message_wakes_even_a_loop_that_comes_back_within_the_budget()
    {
        var queue = Queue();
        await RegisterAsync(queue, "loop-a", running: 1);

        // A delayed message's due time may come before any loop's next reserve: it always wakes.
        Assert.True(await EnqueueWakesAsync(queue, Message("later", delay: TimeSpan.FromSeconds(30))));
    }

    static QueueKeys KeysOf(RedisPriorityQueue queue) => new(queue.Settings.KeyPrefix, queue.Name);

    /// <summary>A reserve call of a receive loop that names itself: it registers in, or leaves, the queue's sleepers.</summary>
    static Task<AcknowledgeAndReserveResult> RegisterAsync(RedisPriorityQueue queue, string loopId, int running, long busyWaitMs = 2, int slots = 4) =>
        queue.AcknowledgeAndReserveByTokenAsync([], slots, Lease, sleeper: new SleeperRegistration(loopId, running, busyWaitMs, IdleWaitMs: 60_000));

    async Task<long> RedisNowMsAsync()
    {
        var time = (RedisResult[])(await Database.ExecuteAsync("TIME"))!;
        return (long)time[0] * 1000 + (long)time[1] / 1000;
    }

    Task<bool> EnqueueWakesAsync(RedisPriorityQueue queue, string id) => EnqueueWakesAsync(queue, Message(id));

    /// <summary>Enqueues <paramref name="message"/> and tells whether the script published a wake-up for it.</summary>
    async Task<bool> EnqueueWakesAsync(RedisPriorityQueue queue, QueueMessage message)
    {
        var channel = RedisChannel.Literal(KeysOf(queue).WakeChannel);
        var subscriber = Server.Connection.GetSubscriber();
        var received = await subscriber.SubscribeAsync(channel);
        try
        {
            await queue.EnqueueAsync(message);
            await subscriber.PublishAsync(channel, "marker");
            var woken = false;
            while (true)
            {
                var next = await received.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
                if (next.Message == "marker")
                    return woken;
                woken |= next.Message == "w";
            }
        }
        finally
        {
            await received.UnsubscribeAsync();
        }
    }
}

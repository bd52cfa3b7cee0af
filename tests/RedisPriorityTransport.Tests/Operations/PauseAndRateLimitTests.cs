using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisPriorityTransport.Tests.Operations;

public class PauseAndRateLimitTests : AdminTestBase
{
    public PauseAndRateLimitTests()
    {
    }

    protected PauseAndRateLimitTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    [RedisFact]
    public async Task A_paused_queue_reserves_nothing_accepts_messages_and_resumes()
    {
        var queue = Queue();
        await FillAsync(queue, ("a", 5));

        await Admin.PauseAsync("orders", Operator, "deploy");

        Assert.Empty((await queue.ReserveAsync(10, TimeSpan.FromMinutes(1))).Messages);
        await FillAsync(queue, ("b", 5));
        Assert.Equal(2, (await Admin.GetQueueAsync("orders")).Ready);
        Assert.True((await Admin.GetQueueAsync("orders")).IsPaused);

        // A waiting consumer wakes on resume.
        var waiting = queue.ReserveOrWaitAsync(10, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));
        await Admin.ResumeAsync("orders", Operator, "deployed");
        Assert.Equal(["a", "b"], (await waiting).Messages.Select(m => m.Id));
        Assert.False((await Admin.GetQueueAsync("orders")).IsPaused);
        Assert.Equal([AuditAction.Resume, AuditAction.Pause], (await Admin.GetHistoryAsync("orders")).Entries.Select(e => e.Action));
    }

    [RedisFact]
    public async Task A_rate_limit_admits_n_per_window_and_tells_when_to_retry()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync(Enumerable.Range(0, 20).Select(i => Message($"m{i}", 5)).ToArray());

        await Admin.SetRateLimitAsync("orders", new RateLimit(3, TimeSpan.FromSeconds(10)), Operator, "webhook partner limit");

        var first = await queue.ReserveAsync(10, TimeSpan.FromMinutes(1));
        Assert.Equal(3, first.Messages.Count);
        var second = await queue.ReserveAsync(10, TimeSpan.FromMinutes(1));
        Assert.Empty(second.Messages);
        Assert.NotNull(second.NextDelayedDueIn);
        // The 3 count in full until the window ends and then fade over the next one: one more fits a third into it.
        Assert.InRange(second.NextDelayedDueIn!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10 + 10 / 3.0 + 0.1));
        var summary = await Admin.GetQueueAsync("orders");
        Assert.Equal((3, TimeSpan.FromSeconds(10)), (summary.RateLimit!.Messages, summary.RateLimit.Interval));

        await Admin.SetRateLimitAsync("orders", null, Operator, "lifted");
        Assert.Equal(10, (await queue.ReserveAsync(10, TimeSpan.FromMinutes(1))).Messages.Count);
        Assert.Null((await Admin.GetQueueAsync("orders")).RateLimit);
        var entries = (await Admin.GetHistoryAsync("orders", new AuditQuery { Action = AuditAction.SetRateLimit })).Entries;
        Assert.Equal(["", "3"], entries.Select(e => e.Details["messages"]));
    }

    [RedisFact]
    public async Task A_rate_limit_slides_so_a_window_boundary_does_not_open_a_second_full_window_at_once()
    {
        // 4 per 4 s. A fixed window would admit 4 more right after the boundary that follows the first 4; the sliding
        // window still counts the previous window's 4 at almost full weight there, and admits the next one only once a
        // quarter of that window's weight has passed (4 × (1 - 1000/4000) = 3), 1 s into the window.
        var interval = TimeSpan.FromSeconds(4);
        var queue = Queue();
        await queue.EnqueueBatchAsync(Enumerable.Range(0, 20).Select(i => Message($"m{i}", 5)).ToArray());
        await Admin.SetRateLimitAsync("orders", new RateLimit(4, interval), Operator, "partner limit");

        // The first 4 early in a window, so that window is still the current one when they are taken.
        await Eventually.HoldsAsync(async () => (await RedisWindowAsync(interval)).Elapsed < TimeSpan.FromMilliseconds(2000), interval * 2,
            "the first half of a window");
        var window = await RedisWindowAsync(interval);
        Assert.Equal(4, (await queue.ReserveAsync(10, TimeSpan.FromMinutes(1))).Messages.Count);
        Assert.Equal(window.Index, (await RedisWindowAsync(interval)).Index);
        await Eventually.HoldsAsync(async () => (await RedisWindowAsync(interval)).Index > window.Index, interval * 2, "the next window");

        var atBoundary = await queue.ReserveAsync(10, TimeSpan.FromMinutes(1));
        var elapsed = (await RedisWindowAsync(interval)).Elapsed;
        Assert.True(elapsed < TimeSpan.FromMilliseconds(1000), $"the reserve ran {elapsed.TotalMilliseconds} ms into the window; expected within its first second");
        Assert.Empty(atBoundary.Messages);
        Assert.NotNull(atBoundary.NextDelayedDueIn);
        Assert.InRange(atBoundary.NextDelayedDueIn!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1000));

        // Once the previous window's weight has fallen far enough, one more starts.
        await Eventually.HoldsAsync(async () => (await RedisWindowAsync(interval)).Elapsed >= TimeSpan.FromMilliseconds(1040), interval,
            "a quarter of the window");
        var later = await queue.ReserveAsync(10, TimeSpan.FromMinutes(1));
        // e ms into the window the previous 4 weigh 4 × (4000 - e) / 4000, which leaves floor(e / 1000) to start.
        var fitting = (int)((await RedisWindowAsync(interval)).Elapsed.TotalMilliseconds / 1000);
        Assert.InRange(later.Messages.Count, 1, Math.Max(1, fitting));
    }

    /// <summary>The rate limit's current window of Redis time (TIME / interval) and how far into it Redis is.</summary>
    async Task<(long Index, TimeSpan Elapsed)> RedisWindowAsync(TimeSpan interval)
    {
        var time = (RedisResult[])(await Database.ExecuteAsync("TIME"))!;
        var ms = (long)time[0] * 1000 + (long)time[1] / 1000;
        var length = (long)interval.TotalMilliseconds;
        return (ms / length, TimeSpan.FromMilliseconds(ms % length));
    }

    [RedisFact]
    public async Task Pause_and_limit_survive_a_new_connection_as_they_live_in_redis()
    {
        var queue = Queue();
        await FillAsync(queue, ("a", 5));
        await Admin.PauseAsync("orders", Operator);

        await using var other = await RedisPriorityQueue.ConnectAsync(Server.Configuration, "orders", new PriorityQueueSettings { KeyPrefix = KeyPrefix });
        Assert.Empty((await other.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages);
        var fresh = PriorityQueueAdmin.Create(Server.Connection, new PriorityQueueSettings { KeyPrefix = KeyPrefix });
        Assert.True((await fresh.GetQueueAsync("orders")).IsPaused);
    }
}

using RedisPriorityTransport.Tests.Infrastructure;

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
        Assert.InRange(second.NextDelayedDueIn!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));
        var summary = await Admin.GetQueueAsync("orders");
        Assert.Equal((3, TimeSpan.FromSeconds(10)), (summary.RateLimit!.Messages, summary.RateLimit.Interval));

        await Admin.SetRateLimitAsync("orders", null, Operator, "lifted");
        Assert.Equal(10, (await queue.ReserveAsync(10, TimeSpan.FromMinutes(1))).Messages.Count);
        Assert.Null((await Admin.GetQueueAsync("orders")).RateLimit);
        var entries = (await Admin.GetHistoryAsync("orders", new AuditQuery { Action = AuditAction.SetRateLimit })).Entries;
        Assert.Equal(["", "3"], entries.Select(e => e.Details["messages"]));
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

using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Operations;

public class PriorityChangeTests : AdminTestBase
{
    public PriorityChangeTests()
    {
    }

    protected PriorityChangeTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    [RedisFact]
    public async Task A_raised_message_stands_where_its_age_puts_it_among_its_new_class()
    {
        var queue = Queue();
        await FillAsync(queue, ("old-high", 8), ("low", 2), ("new-high", 8));

        var entry = await Admin.PrioritizeAsync("orders", "low", Operator, "customer escalated");

        // Enqueued before new-high, so it goes before it; after old-high, so behind it (BullMQ would put it last).
        Assert.Equal(["old-high", "low", "new-high"], await queue.PeekAsync(10));
        Assert.Equal((AuditAction.ChangePriority, Urgency.Background, Urgency.Prioritize), (entry.Action, entry.FromUrgency, entry.ToUrgency));
        Assert.Equal((UrgencyBand.Low, UrgencyBand.High), (entry.FromBand!.Value, entry.ToBand!.Value));
        Assert.Equal(("orders", "low", Operator, "customer escalated"), (entry.QueueName, entry.MessageId, entry.User, entry.Reason));
        Assert.True(Math.Abs((entry.Time - DateTimeOffset.UtcNow).TotalSeconds) < 30);
    }

    [RedisFact]
    public async Task Any_level_up_or_down_and_the_named_actions()
    {
        var queue = Queue();
        await FillAsync(queue, ("a", 5), ("b", 5), ("c", 5));

        await Admin.CriticalAsync("orders", "c", Operator, "now");
        await Admin.UrgentAsync("orders", "b", Operator, "soon");
        await Admin.ChangePriorityAsync("orders", "a", Urgency.Lowest, Operator, "whenever");

        Assert.Equal(["c", "b", "a"], await queue.PeekAsync(10));
        Assert.Equal(Urgency.Lowest, (await Admin.GetMessageAsync("orders", "a")).Urgency);
        var summary = await Admin.GetQueueAsync("orders");
        Assert.Equal((1L, 1L, 1L), (summary.ReadyByUrgency[Urgency.Critical], summary.ReadyByUrgency[Urgency.Urgent], summary.ReadyByUrgency[Urgency.Lowest]));
    }

    [RedisFact]
    public async Task A_delayed_message_changes_and_becomes_ready_at_its_new_level()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("later", 1, delay: TimeSpan.FromMilliseconds(300)));
        await FillAsync(queue, ("normal", 5));

        await Admin.CriticalAsync("orders", "later", Operator, "rush it");

        Assert.Equal(Urgency.Critical, (await Admin.GetMessageAsync("orders", "later")).Urgency);
        // A reserve of nothing promotes due messages.
        await Eventually.HoldsAsync(async () => (await queue.ReserveAsync(0, TimeSpan.FromSeconds(1))).Messages.Count == 0
            && (await queue.GetCountsAsync()).Delayed == 0, TimeSpan.FromSeconds(10), "the delayed message to be due");
        Assert.Equal(["later", "normal"], await queue.PeekAsync(10));
        Assert.Equal(Urgency.Critical, (await Admin.GetMessageAsync("orders", "later")).Urgency);
    }

    [RedisFact]
    public async Task A_message_in_flight_error_or_gone_is_not_changed_and_the_exception_says_where_it_is()
    {
        var queue = Queue();
        await FillAsync(queue, ("running", 9), ("failed", 8));
        var reserved = (await queue.ReserveAsync(2, TimeSpan.FromMinutes(1))).Messages;
        await queue.MoveAsync("failed", reserved[1].LeaseToken, queue.ErrorQueueName, "boom");

        var inFlight = await Assert.ThrowsAsync<MessageNotFoundException>(() => Admin.CriticalAsync("orders", "running", Operator, "x"));
        Assert.Equal(MessageState.InFlight, inFlight.ActualState);
        Assert.Contains("InFlight", inFlight.Message);
        var error = await Assert.ThrowsAsync<MessageNotFoundException>(() => Admin.CriticalAsync("orders", "failed", Operator, "x"));
        Assert.Equal(MessageState.Error, error.ActualState);
        var gone = await Assert.ThrowsAsync<MessageNotFoundException>(() => Admin.CriticalAsync("orders", "gone", Operator, "x"));
        Assert.Null(gone.ActualState);

        Assert.Equal(Urgency.Urgent, (await Admin.GetMessageAsync("orders", "running")).Urgency);
        Assert.Empty((await Admin.GetHistoryAsync("orders")).Entries);
    }
}

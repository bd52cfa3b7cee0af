using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Operations;

public class CancelRedrivePurgeTests : AdminTestBase
{
    public CancelRedrivePurgeTests()
    {
    }

    protected CancelRedrivePurgeTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    [RedisFact]
    public async Task Cancel_removes_a_waiting_or_delayed_message_and_the_entry_keeps_what_it_was()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("x", 7, "alert", body: """{"messageType":["urn:message:Shop:OrderPlaced"]}"""));
        await queue.EnqueueAsync(Message("later", 2, delay: TimeSpan.FromMinutes(5)));
        await FillAsync(queue, ("keep", 5));

        var entry = await Admin.CancelAsync("orders", "x", Operator, "duplicate order");
        await Admin.CancelAsync("orders", "later", Operator, "not needed");

        Assert.Equal(["keep"], await queue.PeekAsync(10));
        Assert.Equal(0, (await queue.GetCountsAsync()).Delayed);
        Assert.Equal((AuditAction.Cancel, Urgency.High, (Urgency?)null), (entry.Action, entry.FromUrgency, entry.ToUrgency));
        var stored = Assert.Single(await Admin.GetMessageHistoryAsync("orders", "x"));
        Assert.Equal(("alert", "urn:message:Shop:OrderPlaced", "ready"), (stored.Details["eventType"], stored.Details["messageType"], stored.Details["state"]));
        Assert.Equal(Urgency.High, stored.FromUrgency);
        await Assert.ThrowsAsync<MessageNotFoundException>(() => Admin.GetMessageAsync("orders", "x"));
        var again = await Assert.ThrowsAsync<MessageNotFoundException>(() => Admin.CancelAsync("orders", "x", Operator, "twice"));
        Assert.Null(again.ActualState);
    }

    [RedisFact]
    public async Task A_message_in_flight_is_not_cancelled()
    {
        var queue = Queue();
        await FillAsync(queue, ("x", 5));
        var reserved = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();

        var refused = await Assert.ThrowsAsync<MessageNotFoundException>(() => Admin.CancelAsync("orders", "x", Operator, "stop"));

        Assert.Equal(MessageState.InFlight, refused.ActualState);
        Assert.True(await queue.AcknowledgeAsync("x", reserved.LeaseToken));
        Assert.Empty((await Admin.GetHistoryAsync("orders")).Entries);
    }

    [RedisFact]
    public async Task Redrive_brings_error_messages_back_with_priority_and_fault_headers_and_a_fresh_delivery_count()
    {
        var queue = Queue(configure: s => s.MaxDeliveryCount = 2);
        await queue.EnqueueAsync(Message("p", 9, "alert", headers: new Dictionary<string, string> { ["MessageId"] = "p" }));
        await FillAsync(queue, ("q", 3));
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var held = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
            await queue.ReleaseAsync(held.Id, held.LeaseToken);
        }

        var last = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        Assert.Equal(("p", 3), (last.Id, last.DeliveryCount));
        await queue.MoveAsync("p", last.LeaseToken, queue.ErrorQueueName, "handler threw", new Dictionary<string, string> { ["MT-Fault-Message"] = "boom" });

        var moved = await Admin.RedriveAsync("orders", DeadLetterQueue.Error, ["p", "missing"], Operator);

        Assert.Equal(1, moved);
        Assert.Equal(0, (await Admin.GetQueueAsync("orders")).Error);
        var back = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        Assert.Equal(("p", 1, Urgency.Urgent, "alert"), (back.Id, back.DeliveryCount, back.Priority.Urgency, back.Priority.EventType));
        Assert.Equal(("handler threw", "boom", "p"), (back.Headers["rpt-reason"], back.Headers["MT-Fault-Message"], back.Headers["MessageId"]));
    }

    [RedisFact]
    public async Task A_message_that_failed_twice_returns_to_its_own_id()
    {
        var queue = Queue();
        for (var round = 0; round < 2; round++)
        {
            await FillAsync(queue, ("twice", 6));
            var held = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
            await queue.MoveAsync(held.Id, held.LeaseToken, queue.ErrorQueueName, $"failure {round}");
        }

        var errors = (await Admin.BrowseAsync("orders", MessageState.Error)).Messages.Select(m => m.MessageId).ToArray();
        Assert.Equal("twice", errors[0]);
        Assert.StartsWith("twice#", errors[1]);

        // The suffixed copy first: it takes its own id back. The other then finds that id queued and keeps its own.
        Assert.Equal(1, await Admin.RedriveAsync("orders", DeadLetterQueue.Error, [errors[1]], Operator));
        Assert.Equal(["twice"], await queue.PeekAsync(10));
        Assert.Equal("failure 1", (await Admin.GetMessageAsync("orders", "twice")).Headers["rpt-reason"]);
        Assert.Equal(0, await Admin.RedriveAsync("orders", DeadLetterQueue.Error, ["twice"], Operator));
        Assert.Equal(1, (await Admin.GetQueueAsync("orders")).Error);
    }

    [RedisFact]
    public async Task Redrive_all_from_skipped_in_batches_with_one_entry_per_batch()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync(Enumerable.Range(0, 1200).Select(i => Message($"s{i:0000}", i % 11)).ToArray());
        while (true)
        {
            var held = (await queue.ReserveAsync(200, TimeSpan.FromMinutes(1))).Messages;
            if (held.Count == 0)
                break;
            await Task.WhenAll(held.Select(m => queue.MoveAsync(m.Id, m.LeaseToken, queue.SkippedQueueName, "no consumer")));
        }

        Assert.Equal(1200, (await Admin.GetQueueAsync("orders")).Skipped);

        var moved = await Admin.RedriveAllAsync("orders", DeadLetterQueue.Skipped, Operator, "consumer deployed");

        Assert.Equal(1200, moved);
        var summary = await Admin.GetQueueAsync("orders");
        Assert.Equal((1200L, 0L), (summary.Ready, summary.Skipped));
        var entries = (await Admin.GetHistoryAsync("orders", new AuditQuery { Action = AuditAction.Redrive })).Entries;
        Assert.Equal(["200", "500", "500"], entries.Select(e => e.Details["count"]));
        Assert.All(entries, e => Assert.Null(e.MessageId));
    }

    [RedisFact]
    public async Task Purge_deletes_one_state_and_refuses_in_flight()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync(Enumerable.Range(0, 6000).Select(i => Message($"r{i}", 5)).ToArray());
        await queue.EnqueueAsync(Message("later", 5, delay: TimeSpan.FromMinutes(5)));
        var held = (await queue.ReserveAsync(2, TimeSpan.FromMinutes(1))).Messages;
        await queue.MoveAsync(held[1].Id, held[1].LeaseToken, queue.ErrorQueueName, "boom");

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Admin.PurgeAsync("orders", MessageState.InFlight, Operator));
        Assert.Equal("state", refused.ParamName);
        Assert.Equal(5998, await Admin.PurgeAsync("orders", MessageState.Ready, Operator, "bad batch"));
        Assert.Equal(1, await Admin.PurgeAsync("orders", MessageState.Error, Operator));
        var summary = await Admin.GetQueueAsync("orders");
        Assert.Equal((0L, 1L, 1L, 0L), (summary.Ready, summary.Delayed, summary.InFlight, summary.Error));
        Assert.Equal(1, await Admin.PurgeAsync("orders", MessageState.Delayed, Operator));
        Assert.True(await queue.AcknowledgeAsync(held[0].Id, held[0].LeaseToken));
        var purges = (await Admin.GetHistoryAsync("orders", new AuditQuery { Action = AuditAction.Purge })).Entries;
        Assert.Equal(5998 + 1 + 1, purges.Sum(e => int.Parse(e.Details["count"])));
        Assert.Equal(0, await Database.HashLengthAsync($"{KeyPrefix}{{orders}}:orders:messages"));
    }
}

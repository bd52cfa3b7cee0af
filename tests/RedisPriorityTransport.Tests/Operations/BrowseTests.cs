using System.Text;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Operations;

public class BrowseTests : AdminTestBase
{
    public BrowseTests()
    {
    }

    protected BrowseTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    [RedisFact]
    public async Task Ready_messages_page_by_cursor_in_delivery_order()
    {
        var queue = Queue();
        var messages = Enumerable.Range(0, 25).Select(i => Message($"m{i:00}", urgency: i % 11, eventType: i % 3 == 0 ? "alert" : null)).ToArray();
        await queue.EnqueueBatchAsync(messages);
        var expected = await queue.PeekAsync(100);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Admin.BrowseAsync("orders", MessageState.Ready, cursor: cursor, pageSize: 10);
            Assert.All(page.Messages, m => Assert.Equal(MessageState.Ready, m.State));
            seen.AddRange(page.Messages.Select(m => m.MessageId));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(expected, seen);
        Assert.Equal(3, pages);
    }

    [RedisFact]
    public async Task Filters_by_urgency_range_event_type_message_type_and_id()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync(
        [
            Message("a", 9, "alert", body: """{"messageId":"a","messageType":["urn:message:Shop:OrderPlaced"],"message":{}}"""),
            Message("b", 5, "log", body: """{"messageId":"b","messageType":["urn:message:Shop:LogWritten"],"message":{}}"""),
            Message("c", 2, "alert", headers: new Dictionary<string, string> { ["MT-MessageType"] = "urn:message:Shop:OrderPlaced" }),
            Message("d", 1),
        ]);

        async Task<string[]> Ids(MessageFilter filter) =>
            (await Admin.BrowseAsync("orders", MessageState.Ready, filter)).Messages.Select(m => m.MessageId).ToArray();

        Assert.Equal(["b", "c"], await Ids(new MessageFilter { MinUrgency = Urgency.Background, MaxUrgency = Urgency.High }));
        Assert.Equal(["a", "c"], await Ids(new MessageFilter { EventType = "alert" }));
        Assert.Equal(["a", "c"], await Ids(new MessageFilter { MessageType = "orderplaced" }));
        Assert.Equal(["b"], await Ids(new MessageFilter { MessageId = "b" }));
        Assert.Empty(await Ids(new MessageFilter { MessageId = "b", EventType = "alert" }));
        var a = (await Admin.BrowseAsync("orders", MessageState.Ready, new MessageFilter { MessageId = "a" })).Messages.Single();
        Assert.Equal(["urn:message:Shop:OrderPlaced"], a.MessageTypes);
        Assert.Equal((Urgency.Urgent, UrgencyBand.High, "alert"), (a.Urgency, a.Band, a.EventType));
    }

    [RedisFact]
    public async Task A_sparse_filter_returns_short_pages_with_a_cursor_and_still_finds_everything()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync(Enumerable.Range(0, 300).Select(i => Message($"m{i:000}", 5, i % 100 == 7 ? "alert" : "log")).ToArray());
        var admin = AdminWith(o => o.BrowseScanLimit = 50);

        var found = new List<string>();
        string? cursor = null;
        var calls = 0;
        do
        {
            var page = await admin.BrowseAsync("orders", MessageState.Ready, new MessageFilter { EventType = "alert" }, cursor, pageSize: 10);
            found.AddRange(page.Messages.Select(m => m.MessageId));
            cursor = page.NextCursor;
            calls++;
        }
        while (cursor is not null);

        Assert.Equal(["m007", "m107", "m207"], found);
        Assert.Equal(6, calls);
    }

    [RedisFact]
    public async Task Delayed_in_flight_error_and_skipped_messages_list_with_due_time_lease_expiry_and_fault_reason()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("later", 4, delay: TimeSpan.FromMinutes(10)));
        await queue.EnqueueAsync(Message("sooner", 4, delay: TimeSpan.FromMinutes(5)));
        await FillAsync(queue, ("run", 9), ("fail", 8), ("skip", 7));
        var running = (await queue.ReserveAsync(3, TimeSpan.FromMinutes(1))).Messages;
        await queue.MoveAsync("fail", running[1].LeaseToken, queue.ErrorQueueName, "it broke");
        await queue.MoveAsync("skip", running[2].LeaseToken, queue.SkippedQueueName, "nobody took it");

        var delayed = (await Admin.BrowseAsync("orders", MessageState.Delayed)).Messages;
        Assert.Equal(["sooner", "later"], delayed.Select(m => m.MessageId));
        Assert.True(delayed[0].DueAt > DateTimeOffset.UtcNow.AddMinutes(4));
        var inFlight = (await Admin.BrowseAsync("orders", MessageState.InFlight)).Messages.Single();
        Assert.Equal(("run", 1), (inFlight.MessageId, inFlight.DeliveryCount));
        Assert.Equal(running[0].LeaseExpiresAt, inFlight.LeaseExpiresAt);
        var error = (await Admin.BrowseAsync("orders", MessageState.Error)).Messages.Single();
        Assert.Equal(("fail", "it broke", Urgency.Prioritize), (error.MessageId, error.FaultReason, error.Urgency));
        Assert.Equal("nobody took it", (await Admin.BrowseAsync("orders", MessageState.Skipped)).Messages.Single().FaultReason);
    }

    [RedisFact]
    public async Task Messages_in_flight_page_by_cursor_and_one_is_found_by_id()
    {
        var queue = Queue();
        await FillAsync(queue, ("f1", 5), ("f2", 5), ("f3", 5), ("f4", 5), ("f5", 5));
        var reserved = (await queue.ReserveAsync(5, TimeSpan.FromMinutes(1))).Messages;

        // The in-flight set's members carry lease tokens: pages and lookups still speak message ids.
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Admin.BrowseAsync("orders", MessageState.InFlight, cursor: cursor, pageSize: 2);
            seen.AddRange(page.Messages.Select(m => m.MessageId));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(["f1", "f2", "f3", "f4", "f5"], seen.Order());
        var found = (await Admin.BrowseAsync("orders", MessageState.InFlight, new MessageFilter { MessageId = "f3" })).Messages.Single();
        Assert.Equal(("f3", reserved[2].LeaseExpiresAt), (found.MessageId, found.LeaseExpiresAt));
    }

    [RedisFact]
    public async Task One_message_whole_wherever_it_is()
    {
        var queue = Queue();
        var headers = new Dictionary<string, string> { ["MessageId"] = "x", ["Content-Type"] = "application/json" };
        await queue.EnqueueAsync(Message("x", 6, "transaction", body: "{\"hello\":1}", headers: headers));
        await queue.EnqueueAsync(Message("y", 6, delay: TimeSpan.FromMinutes(1)));

        var ready = await Admin.GetMessageAsync("orders", "x");
        Assert.Equal((MessageState.Ready, Urgency.AboveNormal, UrgencyBand.Normal, "transaction", 0), (ready.State, ready.Urgency, ready.Band, ready.EventType, ready.DeliveryCount));
        Assert.Equal("{\"hello\":1}", Encoding.UTF8.GetString(ready.Body.Span));
        Assert.Equal(headers, ready.Headers);
        Assert.True(ready.Age >= TimeSpan.Zero && ready.Age < TimeSpan.FromMinutes(1));
        Assert.True(Math.Abs((ready.EnqueuedAt - DateTimeOffset.UtcNow).TotalSeconds) < 30);
        Assert.Equal(MessageState.Delayed, (await Admin.GetMessageAsync("orders", "y")).State);

        var reserved = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        var inFlight = await Admin.GetMessageAsync("orders", "x");
        Assert.Equal((MessageState.InFlight, 1, reserved.LeaseExpiresAt), (inFlight.State, inFlight.DeliveryCount, inFlight.LeaseExpiresAt));
        await queue.MoveAsync("x", reserved.LeaseToken, queue.ErrorQueueName, "boom");
        var error = await Admin.GetMessageAsync("orders", "x");
        Assert.Equal((MessageState.Error, "boom"), (error.State, error.FaultReason));
        Assert.Equal("boom", error.Headers["rpt-reason"]);

        var missing = await Assert.ThrowsAsync<MessageNotFoundException>(() => Admin.GetMessageAsync("orders", "nope"));
        Assert.Null(missing.ActualState);
    }
}

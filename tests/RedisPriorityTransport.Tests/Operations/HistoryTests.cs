using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Operations;

public class HistoryTests : AdminTestBase
{
    public HistoryTests()
    {
    }

    protected HistoryTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    [RedisFact]
    public async Task The_history_of_a_message_after_five_actions_oldest_first()
    {
        var queue = Queue();
        await FillAsync(queue, ("m", 3), ("other", 5));

        await Admin.PrioritizeAsync("orders", "m", "alice", "escalated");
        await Admin.ChangePriorityAsync("orders", "other", Urgency.Low, "bob", "not this one");
        await Admin.CriticalAsync("orders", "m", "bob", "outage");
        await Admin.ChangePriorityAsync("orders", "m", Urgency.Normal, "carol", "outage over");
        var reserved = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        Assert.Equal("m", reserved.Id);
        await queue.MoveAsync("m", reserved.LeaseToken, queue.ErrorQueueName, "boom");
        Assert.Equal(1, await Admin.RedriveAsync("orders", DeadLetterQueue.Error, ["m"], "dave", "fixed the bug"));
        await Admin.CancelAsync("orders", "m", "erin", "no longer needed");

        var history = await Admin.GetMessageHistoryAsync("orders", "m");

        Assert.Equal(
        [
            (AuditAction.ChangePriority, "alice", (Urgency?)Urgency.Low, (Urgency?)Urgency.Prioritize, "escalated"),
            (AuditAction.ChangePriority, "bob", Urgency.Prioritize, Urgency.Critical, "outage"),
            (AuditAction.ChangePriority, "carol", Urgency.Critical, Urgency.Normal, "outage over"),
            (AuditAction.Redrive, "dave", Urgency.Normal, Urgency.Normal, "fixed the bug"),
            (AuditAction.Cancel, "erin", Urgency.Normal, null, "no longer needed"),
        ], history.Select(e => (e.Action, e.User, e.FromUrgency, e.ToUrgency, e.Reason)));
        Assert.All(history, e => Assert.Equal(("orders", "m"), (e.QueueName, e.MessageId)));
        Assert.Equal(history.OrderBy(e => e.Time).ThenBy(e => e.Id, StringComparer.Ordinal), history);
        Assert.Equal((UrgencyBand.Low, UrgencyBand.High), (history[0].FromBand!.Value, history[0].ToBand!.Value));
        Assert.Equal("error", history[3].Details["source"]);
    }

    [RedisFact]
    public async Task The_queue_history_pages_newest_first_and_filters_by_user_action_and_time()
    {
        var queue = Queue();
        await FillAsync(queue, Enumerable.Range(0, 12).Select(i => ($"m{i}", 5)).ToArray());
        for (var i = 0; i < 12; i++)
            await Admin.ChangePriorityAsync("orders", $"m{i}", Urgency.High, i % 3 == 0 ? "bob" : "alice", $"change {i}");
        await Admin.PauseAsync("orders", "bob", "maintenance");

        var all = new List<AuditEntry>();
        string? cursor = null;
        do
        {
            var page = await Admin.GetHistoryAsync("orders", new AuditQuery { PageSize = 5, Cursor = cursor });
            all.AddRange(page.Entries);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(13, all.Count);
        Assert.Equal(AuditAction.Pause, all[0].Action);
        Assert.Equal("change 11", all[1].Reason);
        Assert.Equal("change 0", all[^1].Reason);

        var bob = await Admin.GetHistoryAsync("orders", new AuditQuery { User = "bob", Action = AuditAction.ChangePriority });
        Assert.Equal(["change 9", "change 6", "change 3", "change 0"], bob.Entries.Select(e => e.Reason));
        Assert.Null(bob.NextCursor);

        var future = await Admin.GetHistoryAsync("orders", new AuditQuery { From = DateTimeOffset.UtcNow.AddHours(1) });
        Assert.Empty(future.Entries);
        var past = await Admin.GetHistoryAsync("orders", new AuditQuery { To = all[^1].Time });
        Assert.Contains(past.Entries, e => e.Reason == "change 0");
        Assert.DoesNotContain(past.Entries, e => e.Time > all[^1].Time);
    }

    [RedisFact]
    public async Task The_stream_stays_capped_by_length()
    {
        var queue = Queue();
        await FillAsync(queue, ("m", 5));
        var admin = AdminWith(o => o.AuditMaxLength = 10);

        for (var i = 0; i < 500; i++)
            await admin.ChangePriorityAsync("orders", "m", (Urgency)(i % 11), Operator, $"flip {i}");

        // Trimming is approximate (whole stream nodes of 100 entries), so a little more than the cap may remain.
        var length = (long)await Database.ExecuteAsync("XLEN", (StackExchange.Redis.RedisKey)$"{KeyPrefix}{{orders}}:orders:audit");
        Assert.InRange(length, 10, 200);
        Assert.Equal("flip 499", (await admin.GetHistoryAsync("orders", new AuditQuery { PageSize = 1 })).Entries.Single().Reason);
    }

    [RedisFact]
    public async Task A_message_history_finds_entries_anywhere_in_a_full_stream()
    {
        var queue = Queue();
        await FillAsync(queue, ("first", 5), ("busy", 5));
        var admin = AdminWith(o => o.AuditMaxLength = 3_000);
        await admin.UrgentAsync("orders", "first", Operator, "the oldest entry");
        for (var i = 0; i < 2_900; i += 100)
            await Task.WhenAll(Enumerable.Range(i, 100).Select(n => admin.ChangePriorityAsync("orders", "busy", (Urgency)(n % 11), Operator, "noise")));
        // Concurrent calls land in any order; the newest entry is the one made after them all.
        await admin.ChangePriorityAsync("orders", "busy", Urgency.High, Operator, "the newest entry");

        Assert.Equal("the oldest entry", Assert.Single(await admin.GetMessageHistoryAsync("orders", "first")).Reason);
        // The index keeps a message's newest 100 entries.
        var busy = await admin.GetMessageHistoryAsync("orders", "busy");
        Assert.Equal(100, busy.Count);
        Assert.Equal(("the newest entry", Urgency.High), (busy[^1].Reason, busy[^1].ToUrgency));
    }

    [RedisFact]
    public async Task The_audit_index_stays_bounded_as_the_stream_is_trimmed()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync(Enumerable.Range(0, 3_000).Select(i => Message($"m{i}", 5)).ToArray());
        var admin = AdminWith(o => o.AuditMaxLength = 100);

        for (var i = 0; i < 3_000; i += 100)
            await Task.WhenAll(Enumerable.Range(i, 100).Select(n => admin.ChangePriorityAsync("orders", $"m{n}", Urgency.High, Operator, "one each")));

        var streamLength = (long)await Database.ExecuteAsync("XLEN", (StackExchange.Redis.RedisKey)$"{KeyPrefix}{{orders}}:orders:audit");
        var indexed = await Database.HashLengthAsync($"{KeyPrefix}{{orders}}:orders:audit:index");
        Assert.InRange(indexed, streamLength, 4 * streamLength);
        Assert.Empty(await admin.GetMessageHistoryAsync("orders", "m0"));
        Assert.Single(await admin.GetMessageHistoryAsync("orders", "m2999"));
    }

    [RedisFact]
    public async Task Every_change_is_in_the_history_at_once_with_its_change()
    {
        var queue = Queue();
        await FillAsync(queue, Enumerable.Range(0, 50).Select(i => ($"m{i}", 5)).ToArray());

        // Changes from many callers at once: after each, its entry is there, and the stream holds exactly one per change.
        var changes = Enumerable.Range(0, 50).Select(async i =>
        {
            var entry = await Admin.ChangePriorityAsync("orders", $"m{i}", (Urgency)(i % 11), $"user{i % 4}", "bulk");
            var history = await Admin.GetMessageHistoryAsync("orders", $"m{i}");
            Assert.Equal(entry.Id, Assert.Single(history).Id);
            Assert.Equal((Urgency)(i % 11), (await Admin.GetMessageAsync("orders", $"m{i}")).Urgency);
        });
        await Task.WhenAll(changes);

        Assert.Equal(50, (await Admin.GetHistoryAsync("orders", new AuditQuery { PageSize = 1000 })).Entries.Count);
    }
}

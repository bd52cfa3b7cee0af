using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Operations;

public sealed class AdminBadInputTests : AdminTestBase
{
    [RedisFact]
    public async Task An_unknown_queue_is_named_in_the_exception_of_every_operation()
    {
        Queue("orders");
        var admin = Admin;
        const string unknown = "no-such-queue";

        var calls = new Func<Task>[]
        {
            () => admin.GetQueueAsync(unknown),
            () => admin.BrowseAsync(unknown, MessageState.Ready),
            () => admin.GetMessageAsync(unknown, "m"),
            () => admin.ChangePriorityAsync(unknown, "m", Urgency.High, Operator, "r"),
            () => admin.CancelAsync(unknown, "m", Operator, "r"),
            () => admin.RedriveAsync(unknown, DeadLetterQueue.Error, ["m"], Operator),
            () => admin.RedriveAllAsync(unknown, DeadLetterQueue.Error, Operator),
            () => admin.PurgeAsync(unknown, MessageState.Ready, Operator),
            () => admin.PauseAsync(unknown, Operator),
            () => admin.ResumeAsync(unknown, Operator),
            () => admin.SetRateLimitAsync(unknown, new RateLimit(1, TimeSpan.FromSeconds(1)), Operator),
            () => admin.GetHistoryAsync(unknown),
            () => admin.GetMessageHistoryAsync(unknown, "m"),
        };
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<QueueNotFoundException>(call);
            Assert.Equal(unknown, error.QueueName);
            Assert.Contains(unknown, error.Message);
        }

        // Nothing was written for the unknown queue.
        Assert.DoesNotContain(KeysOfThisTest(), key => key.ToString().Contains(unknown));
    }

    [RedisFact]
    public async Task Bad_arguments_are_refused_naming_the_parameter_before_anything_is_sent()
    {
        var queue = Queue("orders");
        await FillAsync(queue, ("m", 5));
        var admin = Admin;

        async Task Refused<TException>(Func<Task> call, string parameter) where TException : ArgumentException =>
            Assert.Equal(parameter, (await Assert.ThrowsAsync<TException>(call)).ParamName);

        await Refused<ArgumentException>(() => admin.GetQueueAsync(""), "queueName");
        await Refused<ArgumentException>(() => admin.GetQueueAsync("bad{name}"), "queueName");
        await Refused<ArgumentException>(() => admin.GetQueueAsync("orders_error"), "queueName");
        await Refused<ArgumentException>(() => admin.GetMessageAsync("orders", " "), "messageId");
        await Refused<InvalidUrgencyException>(() => admin.ChangePriorityAsync("orders", "m", (Urgency)11, Operator, "r"), "urgency");
        await Refused<InvalidUrgencyException>(() => admin.ChangePriorityAsync("orders", "m", (Urgency)(-1), Operator, "r"), "urgency");
        await Refused<ArgumentException>(() => admin.ChangePriorityAsync("orders", "m", Urgency.High, "", "r"), "user");
        await Refused<ArgumentException>(() => admin.ChangePriorityAsync("orders", "m", Urgency.High, Operator, " "), "reason");
        await Refused<ArgumentException>(() => admin.PrioritizeAsync("orders", "m", Operator, null!), "reason");
        await Refused<ArgumentException>(() => admin.CancelAsync("orders", "m", Operator, ""), "reason");
        await Refused<ArgumentException>(() => admin.CancelAsync("orders", "m", null!, "r"), "user");
        await Refused<ArgumentException>(() => admin.RedriveAsync("orders", DeadLetterQueue.Error, ["ok", ""], Operator), "messageIds[1]");
        await Refused<ArgumentNullException>(() => admin.RedriveAsync("orders", DeadLetterQueue.Error, null!, Operator), "messageIds");
        await Refused<ArgumentOutOfRangeException>(() => admin.RedriveAllAsync("orders", (DeadLetterQueue)7, Operator), "source");
        await Refused<ArgumentException>(() => admin.PauseAsync("orders", " "), "user");
        await Refused<ArgumentOutOfRangeException>(() => admin.PurgeAsync("orders", (MessageState)9, Operator), "state");
        await Refused<ArgumentOutOfRangeException>(() => admin.BrowseAsync("orders", MessageState.Ready, pageSize: 0), "pageSize");
        await Refused<ArgumentOutOfRangeException>(() => admin.BrowseAsync("orders", MessageState.Ready, pageSize: 1001), "pageSize");
        await Refused<ArgumentException>(() => admin.BrowseAsync("orders", MessageState.Ready, cursor: "garbage!"), "cursor");
        var page = await admin.BrowseAsync("orders", MessageState.Ready, pageSize: 1);
        await FillAsync(queue, ("n", 5));
        var next = (await admin.BrowseAsync("orders", MessageState.Ready, pageSize: 1)).NextCursor!;
        await Refused<ArgumentException>(() => admin.BrowseAsync("orders", MessageState.Delayed, cursor: next), "cursor");
        await Refused<ArgumentException>(() => admin.BrowseAsync("orders", MessageState.Ready,
            new MessageFilter { MinUrgency = Urgency.High, MaxUrgency = Urgency.Low }), "filter");
        await Refused<InvalidUrgencyException>(() => admin.BrowseAsync("orders", MessageState.Ready, new MessageFilter { MaxUrgency = (Urgency)12 }), "urgency");
        await Refused<ArgumentOutOfRangeException>(() => admin.GetHistoryAsync("orders", new AuditQuery { PageSize = 0 }), "query");
        await Refused<ArgumentException>(() => admin.GetHistoryAsync("orders", new AuditQuery { Cursor = "x" }), "query");
        await Refused<ArgumentException>(() => admin.GetHistoryAsync("orders",
            new AuditQuery { From = DateTimeOffset.UtcNow, To = DateTimeOffset.UtcNow.AddDays(-1) }), "query");
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimit(0, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimit(1, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PriorityQueueAdminOptions { AuditMaxLength = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PriorityQueueAdminOptions { BrowseScanLimit = 0 });
        await Assert.ThrowsAsync<ArgumentNullException>(() => ((IPriorityQueueAdmin)null!).CriticalAsync("orders", "m", Operator, "r"));

        // Nothing changed and nothing was recorded.
        Assert.Single(page.Messages);
        Assert.Equal(Urgency.Normal, (await admin.GetMessageAsync("orders", "m")).Urgency);
        Assert.Empty((await admin.GetHistoryAsync("orders")).Entries);
    }
}

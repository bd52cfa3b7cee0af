using RedisPriorityTransport.Dashboard.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RedisPriorityTransport.Dashboard.Tests;

/// <summary>An operator rushes a message through the dashboard and the running consumer takes it next.</summary>
[Collection(DashboardCollection.Name)]
public sealed class OperatorTests(DashboardFixture fixture)
{
    const string Queue = "rush";
    const int Backlog = 20;

    [Fact]
    public async Task Operator_prioritizes_a_low_message_behind_a_backlog_and_the_consumer_takes_it_next()
    {
        // The consumer (one at a time) is held inside the first message it starts until the change has landed, so the
        // backlog cannot drain while a slow browser works, and "next" means exactly the next start.
        using var hold = fixture.Log.Hold(Queue);
        // A backlog of normal work, then one low message: without the rush it would be the last one started.
        await fixture.SendAsync(Queue, Enumerable.Range(1, Backlog).Select(i => new WorkItem($"backlog-{i}", 5)));
        var target = await fixture.QueueIdAsync(Queue, MessageState.Ready, await fixture.SendOneAsync(Queue, new WorkItem("late-low", 1)));
        await Eventually.HoldsAsync(() => Task.FromResult(fixture.Log.StartedIn(Queue).Count > 0), TimeSpan.FromSeconds(15), "the consumer has started on the backlog");

        var page = await fixture.NewPageAsync("olga", "operator");
        var trouble = DashboardFixture.WatchForTrouble(page);
        await page.GotoAsync($"{fixture.DashboardUrl}/queues/{Queue}");
        await page.GetByLabel("MessageId").FillAsync(target);
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.Locator($"a:text-is('{target}')").ClickAsync();
        await Expect(page.GetByTestId("message-urgency")).ToContainTextAsync("1 · Maintenance");
        Assert.Equal(0, await page.GetByTestId("urgent").CountAsync());
        Assert.Equal(0, await page.GetByTestId("critical").CountAsync());
        Assert.Equal(0, await page.GetByTestId("cancel").CountAsync());

        await page.GetByTestId("priority-reason").FillAsync("customer escalation #42");
        // The change has landed when the POST answers.
        var posted = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("prioritize").ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(303, posted.Status);
        Assert.Equal(["backlog-1"], fixture.Log.StartedIn(Queue));

        hold.Dispose();
        await Eventually.HoldsAsync(() => Task.FromResult(fixture.Log.StartedIn(Queue).Contains("late-low")), TimeSpan.FromSeconds(15), "the rushed message is started");
        // Without the rush it would be the last of the backlog.
        Assert.Equal(["backlog-1", "late-low"], fixture.Log.StartedIn(Queue).Take(2));

        // The message page (the message may be consumed by now) shows the audit entry with the operator and reason.
        await page.GotoAsync($"{fixture.DashboardUrl}/queues/{Queue}/messages/{target}");
        var entry = page.GetByTestId("audit-entry").First;
        await Expect(entry.GetByTestId("audit-user")).ToHaveTextAsync("olga");
        await Expect(entry.GetByTestId("audit-reason")).ToHaveTextAsync("customer escalation #42");
        await Expect(entry).ToContainTextAsync("8 · Prioritize");
        await Expect(entry).ToContainTextAsync("1 · Maintenance");
        Assert.Empty(trouble);

        var history = await fixture.Admin.GetMessageHistoryAsync(Queue, target);
        var change = Assert.Single(history);
        Assert.Equal(AuditAction.ChangePriority, change.Action);
        Assert.Equal(("olga", "customer escalation #42", Urgency.Prioritize), (change.User, change.Reason, change.ToUrgency!.Value));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_priority_change_without_a_reason_is_refused()
    {
        const string queue = "no-reason";
        var id = await fixture.QueueIdAsync(queue, MessageState.Ready, await fixture.SendOneAsync(queue, new WorkItem("idle", 3)));
        var page = await fixture.NewPageAsync("olga", "operator");
        await page.GotoAsync($"{fixture.DashboardUrl}/queues/{queue}/messages/{id}");
        // Past the browser's own check (the field is required), the server refuses too.
        await page.GetByTestId("priority-reason").EvaluateAsync("e => e.removeAttribute('required')");
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("prioritize").ClickAsync(),
            r => r.Request.Method == "POST");
        Assert.Equal(400, response.Status);
        await Expect(page.GetByTestId("error-message")).ToContainTextAsync("reason is required");
        Assert.Equal(Urgency.Low, (await fixture.Admin.GetMessageAsync(queue, id)).Urgency);
        await page.Context.CloseAsync();
    }
}

using RedisPriorityTransport.Dashboard.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RedisPriorityTransport.Dashboard.Tests;

/// <summary>A manager retries the error queue and pauses and resumes a queue; the consumers follow.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ManagerTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Manager_retries_all_from_the_error_queue_and_they_are_consumed()
    {
        const string queue = "retry";
        var names = Enumerable.Range(1, 5).Select(i => $"flaky-{i}").ToArray();
        foreach (var name in names)
            fixture.Log.Failing[name] = true;
        await fixture.SendAsync(queue, names.Select(n => new WorkItem(n, 6)));
        await Eventually.HoldsAsync(async () => (await fixture.Admin.GetQueueAsync(queue)).Error == names.Length, TimeSpan.FromSeconds(20), "all five in the error queue");
        foreach (var name in names)
            fixture.Log.Failing.TryRemove(name, out _);

        var page = await fixture.NewPageAsync("maria", "manager");
        var trouble = DashboardFixture.WatchForTrouble(page);
        await page.GotoAsync($"{fixture.DashboardUrl}/queues/{queue}?state=error");
        await Expect(page.GetByTestId("count-error")).ToHaveTextAsync("5");
        await Expect(page.Locator("table[data-testid=messages] tbody tr")).ToHaveCountAsync(5);
        await page.GetByTestId("retry-all").ClickAsync();

        await Eventually.HoldsAsync(() => Task.FromResult(names.All(fixture.Log.CompletedIn(queue).Contains)), TimeSpan.FromSeconds(20), "all five consumed after the retry");
        await Eventually.HoldsAsync(async () => (await fixture.Admin.GetQueueAsync(queue)).Error == 0, TimeSpan.FromSeconds(10), "the error queue is empty");
        await page.ReloadAsync();
        await Expect(page.GetByTestId("count-error")).ToHaveTextAsync("0");

        await page.GotoAsync($"{fixture.DashboardUrl}/queues/{queue}/history?user=maria");
        await Expect(page.GetByTestId("audit-entry").First).ToContainTextAsync("retry");
        Assert.Empty(trouble);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Pause_stops_consumption_and_resume_restores_it()
    {
        const string queue = "pausing";
        var page = await fixture.NewPageAsync("maria", "manager");
        await page.GotoAsync($"{fixture.DashboardUrl}/queues/{queue}");
        await page.GetByTestId("pause").ClickAsync();
        await Expect(page.GetByTestId("paused").First).ToBeVisibleAsync();
        Assert.True((await fixture.Admin.GetQueueAsync(queue)).IsPaused);

        var names = Enumerable.Range(1, 3).Select(i => $"held-{i}").ToArray();
        await fixture.SendAsync(queue, names.Select(n => new WorkItem(n, 7)));
        await Eventually.HoldsAsync(async () => (await fixture.Admin.GetQueueAsync(queue)).Ready == names.Length, TimeSpan.FromSeconds(10), "three ready messages");
        // The one bounded wait: consumers poll at least once a second, so two seconds without a start shows the pause holds.
        var until = DateTime.UtcNow.AddSeconds(2);
        while (DateTime.UtcNow < until)
        {
            Assert.Empty(fixture.Log.StartedIn(queue).Intersect(names));
            await Task.Delay(100);
        }

        await page.ReloadAsync();
        await Expect(page.GetByTestId("count-ready")).ToHaveTextAsync("3");
        await page.GetByTestId("resume").ClickAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(names.All(fixture.Log.CompletedIn(queue).Contains)), TimeSpan.FromSeconds(15), "all three consumed after resume");
        Assert.False((await fixture.Admin.GetQueueAsync(queue)).IsPaused);

        var history = await fixture.Admin.GetHistoryAsync(queue, new AuditQuery { User = "maria" });
        Assert.Equal([AuditAction.Resume, AuditAction.Pause], history.Entries.Select(e => e.Action).Take(2));
        await page.Context.CloseAsync();
    }
}

using RedisPriorityTransport.Dashboard.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RedisPriorityTransport.Dashboard.Tests;

/// <summary>
/// Fills three queues the way a busy day looks and saves a screenshot of every page under artifacts/screenshots
/// (overview.png is the README's docs/images/dashboard.png). Each page must render with no console error.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ScreenshotTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Every_page_renders_cleanly_and_is_saved_as_a_screenshot()
    {
        const string orders = "showcase-orders", webhooks = "showcase-webhooks", reports = "showcase-reports";
        var random = new Random(7);
        var failing = Enumerable.Range(1, 3).Select(i => $"report-{i}").ToArray();
        foreach (var name in failing)
            fixture.Log.Failing[name] = true;
        await fixture.SendAsync(reports, failing.Select(n => new WorkItem(n, 6, "monthly totals")));
        await Eventually.HoldsAsync(async () => (await fixture.Admin.GetQueueAsync(reports)).Error == failing.Length, TimeSpan.FromSeconds(20), "three failed reports");
        await fixture.Admin.PauseAsync(reports, "ada", "month-end freeze");
        await fixture.SendAsync(reports, Enumerable.Range(1, 40).Select(i => new WorkItem($"report-{i + 10}", random.Next(0, 11))));

        await fixture.Admin.SetRateLimitAsync(webhooks, new RateLimit(5, TimeSpan.FromSeconds(1)), "maria", "partner API allows 5/s");
        await fixture.SendAsync(webhooks, Enumerable.Range(1, 120).Select(i => new WorkItem($"hook-{i}", random.Next(2, 7))));

        await fixture.SendAsync(orders, Enumerable.Range(1, 300).Select(i => new WorkItem($"order-{i}", random.Next(0, 11))));
        // Rushed in the paused queue, so it is still there for its page.
        var rushed = await fixture.QueueIdAsync(reports, MessageState.Ready, await fixture.SendOneAsync(reports, new WorkItem("report-vip", 4, "ACME year-end")));
        await fixture.Admin.PrioritizeAsync(reports, rushed, "olga", "VIP customer waiting on the phone");
        await fixture.Admin.UrgentAsync(reports, rushed, "maria", "escalated by support");

        var page = await fixture.NewPageAsync("ada", "admin");
        var trouble = DashboardFixture.WatchForTrouble(page);
        await page.GotoAsync(fixture.DashboardUrl + "/users");
        foreach (var (user, role, reason) in new[] { ("olga", "operator", "support on-call rota"), ("maria", "manager", "team lead"), ("vic", "viewer", "") })
        {
            await page.GetByTestId("assign-user").FillAsync(user);
            await page.GetByTestId("assign-role").SelectOptionAsync(role);
            await page.GetByTestId("assign-reason").FillAsync(reason);
            await page.GetByTestId("assign").ClickAsync();
            await Expect(page.Locator($"tr[data-user={user}]")).ToContainTextAsync(role);
        }

        await Expect(page.GetByTestId("role-change").First).ToContainTextAsync("vic");
        await DashboardFixture.ScreenshotAsync(page, "users");

        // The overview, narrowed to the three showcase queues with its search box.
        await page.GotoAsync(fixture.DashboardUrl + "/");
        await page.GetByPlaceholder("Find queues by name").FillAsync("showcase");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(page.Locator("table[data-testid=queues] tbody tr")).ToHaveCountAsync(3);
        // Two samples ten seconds apart give the trend column its first figures.
        await Expect(page.Locator($"tr[data-queue={orders}] svg.spark")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await DashboardFixture.ScreenshotAsync(page, "overview");

        await page.GotoAsync($"{fixture.DashboardUrl}/queues/{orders}");
        await Expect(page.GetByTestId("queue-title")).ToHaveTextAsync(orders);
        await DashboardFixture.ScreenshotAsync(page, "queue");

        await page.GotoAsync($"{fixture.DashboardUrl}/queues/{reports}?state=error");
        await Expect(page.GetByTestId("count-error")).ToHaveTextAsync("3");
        await DashboardFixture.ScreenshotAsync(page, "queue-error");
        await page.Locator("table[data-testid=messages] tbody tr a").First.ClickAsync();
        await Expect(page.GetByTestId("fault")).ToBeVisibleAsync();
        await DashboardFixture.ScreenshotAsync(page, "message-error");

        await page.GotoAsync($"{fixture.DashboardUrl}/queues/{reports}/messages/{rushed}");
        await Expect(page.GetByTestId("message-urgency")).ToContainTextAsync("9 · Urgent");
        await Expect(page.GetByTestId("audit-entry")).ToHaveCountAsync(2);
        await DashboardFixture.ScreenshotAsync(page, "message");

        await page.GotoAsync($"{fixture.DashboardUrl}/queues/{reports}/history");
        await Expect(page.GetByTestId("audit-entry").First).ToBeVisibleAsync();
        await DashboardFixture.ScreenshotAsync(page, "history");
        Assert.Empty(trouble);
        await page.Context.CloseAsync();
    }
}

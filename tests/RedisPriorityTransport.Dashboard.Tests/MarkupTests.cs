using RedisPriorityTransport.Dashboard.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RedisPriorityTransport.Dashboard.Tests;

/// <summary>Whatever a message carries is shown as text: no markup from a body, header or fault reaches the page.</summary>
[Collection(DashboardCollection.Name)]
public sealed class MarkupTests(DashboardFixture fixture)
{
    const string Payload = "<script>window.__xss = 1; alert('body')</script><img src=x onerror=\"window.__xss = 2; alert('img')\"><b>bold</b>";

    [Fact]
    public async Task A_message_whose_body_headers_and_fault_contain_markup_renders_as_text()
    {
        var queue = DashboardFixture.FailingQueue;
        var id = await fixture.SendOneAsync(queue, new HostileItem("<i>name</i>", Payload),
            context => context.Headers.Set("X-Comment", Payload));
        await Eventually.HoldsAsync(async () => (await fixture.Admin.GetQueueAsync(queue)).Error >= 1, TimeSpan.FromSeconds(20), "the message in the error queue");
        id = await fixture.QueueIdAsync(queue, MessageState.Error, id);

        var page = await fixture.NewPageAsync("vic", "viewer");
        var trouble = DashboardFixture.WatchForTrouble(page);
        await page.GotoAsync($"{fixture.DashboardUrl}/queues/{queue}?state=error");
        await Expect(page.Locator($"tr[data-message-id='{id}']")).ToBeVisibleAsync();
        await page.Locator($"a:text-is('{id}')").ClickAsync();

        await Expect(page.GetByTestId("body")).ToContainTextAsync("<script>window.__xss = 1;");
        await Expect(page.GetByTestId("headers")).ToContainTextAsync("<img src=x onerror=");
        await Expect(page.GetByTestId("fault")).ToContainTextAsync("<b>bold</b>");
        // It faulted during its first delivery, and the error queue says so.
        await Expect(page.GetByTestId("message-deliveries")).ToHaveTextAsync("1");
        Assert.Equal(0, await page.Locator("main img, main b, main script").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"), "A script from the message ran.");
        Assert.Empty(trouble);
        await page.Context.CloseAsync();
    }
}

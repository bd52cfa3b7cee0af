using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RedisPriorityTransport.Dashboard.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RedisPriorityTransport.Dashboard.Tests;

/// <summary>A viewer sees everything and can change nothing, not even by posting a form by hand.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ViewerTests(DashboardFixture fixture)
{
    const string Queue = "viewer";

    [Fact]
    public async Task Viewer_sees_counts_but_no_action_buttons_and_a_forged_post_is_refused_and_changes_nothing()
    {
        // Paused, so the messages stay where the test put them.
        await fixture.Admin.PauseAsync(Queue, "test-setup");
        var low = await fixture.SendOneAsync(Queue, new WorkItem("v-low", 2));
        await fixture.SendOneAsync(Queue, new WorkItem("v-normal", 5));
        await fixture.SendOneAsync(Queue, new WorkItem("v-high", 9));
        await Eventually.HoldsAsync(async () => (await fixture.Admin.GetQueueAsync(Queue)).Ready == 3, TimeSpan.FromSeconds(10), "three ready messages");
        low = await fixture.QueueIdAsync(Queue, MessageState.Ready, low);

        var page = await fixture.NewPageAsync("vic", "viewer");
        var trouble = DashboardFixture.WatchForTrouble(page);
        var response = await page.GotoAsync(fixture.DashboardUrl + "/");
        Assert.Equal(200, response!.Status);
        var csp = await response.HeaderValueAsync("content-security-policy");
        Assert.NotNull(csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);

        var row = page.Locator($"tr[data-queue='{Queue}']");
        await Expect(row.GetByTestId("ready-high")).ToHaveTextAsync("1");
        await Expect(row.GetByTestId("ready-normal")).ToHaveTextAsync("1");
        await Expect(row.GetByTestId("ready-low")).ToHaveTextAsync("1");
        await Expect(row.GetByTestId("paused")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("form[method=post]").CountAsync());

        await row.GetByRole(AriaRole.Link, new() { Name = Queue }).ClickAsync();
        await Expect(page.GetByTestId("count-ready")).ToHaveTextAsync("3");
        Assert.Equal(0, await page.Locator("form[method=post]").CountAsync());
        Assert.Equal(0, await page.Locator("button[type=submit]").Filter(new() { HasNotText = "Filter" }).CountAsync());

        await page.Locator($"a:text-is('{low}')").ClickAsync();
        await Expect(page.GetByTestId("message-id")).ToHaveTextAsync(low);
        Assert.Equal(0, await page.Locator("form[method=post]").CountAsync());
        Assert.Equal(0, await page.GetByTestId("prioritize").CountAsync());
        Assert.Empty(trouble);

        // Forged by hand: a viewer posts a priority change, a cancel and a pause. Each is 403 and nothing moves.
        using var viewer = fixture.NewClient("vic", "viewer");
        var forged = new Dictionary<string, string> { ["level"] = "10", ["reason"] = "forged" };
        var url = $"{fixture.DashboardUrl}/queues/{Queue}/messages/{low}";
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync(url + "/priority", new FormUrlEncodedContent(forged))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync(url + "/cancel", new FormUrlEncodedContent(forged))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"{fixture.DashboardUrl}/queues/{Queue}/resume", new FormUrlEncodedContent(forged))).StatusCode);

        // An operator may not reach 9 or 10 by editing the form either.
        using var operatorClient = fixture.NewClient("otto", "operator");
        forged["level"] = "9";
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsync(url + "/priority", new FormUrlEncodedContent(forged))).StatusCode);

        // A manager may not reach 10, nor manage users; an operator may not purge.
        using var managerClient = fixture.NewClient("mona", "manager");
        forged["level"] = "10";
        Assert.Equal(HttpStatusCode.Forbidden, (await managerClient.PostAsync(url + "/priority", new FormUrlEncodedContent(forged))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await managerClient.PostAsync($"{fixture.DashboardUrl}/users",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "mona", ["role"] = "admin" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsync($"{fixture.DashboardUrl}/queues/{Queue}/purge",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = "ready", ["confirm"] = "true" }))).StatusCode);

        var message = await fixture.Admin.GetMessageAsync(Queue, low);
        Assert.Equal(Urgency.Background, message.Urgency);
        Assert.Equal(MessageState.Ready, message.State);
        Assert.Empty(await fixture.Admin.GetMessageHistoryAsync(Queue, low));
        var queue = await fixture.Admin.GetQueueAsync(Queue);
        Assert.True(queue.IsPaused);
        Assert.Equal(3, queue.Ready);
        Assert.Equal(DashboardRole.None, await fixture.Services.GetRequiredService<Security.RoleAssignments>().GetAsync("mona"));
        Assert.DoesNotContain(await fixture.RoleAuditAsync(), e => e["user"] == "mona" || e["target"] == "mona");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Non_admins_posting_to_the_users_endpoints_get_403_and_leave_no_audit_entry()
    {
        var assignments = fixture.Services.GetRequiredService<Security.RoleAssignments>();
        await assignments.ChangeAsync("ada", "tess", DashboardRole.Operator, "test setup");
        var audited = (await fixture.RoleAuditAsync()).Length;

        foreach (var (user, role) in new[] { ("vic", "viewer"), ("otto", "operator"), ("mona", "manager") })
        {
            using var client = fixture.NewClient(user, role);
            var assign = new Dictionary<string, string> { ["user"] = "tess", ["role"] = "admin", ["reason"] = "forged" };
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"{fixture.DashboardUrl}/users", new FormUrlEncodedContent(assign))).StatusCode);
            var remove = new Dictionary<string, string> { ["user"] = "tess", ["reason"] = "forged" };
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"{fixture.DashboardUrl}/users/remove", new FormUrlEncodedContent(remove))).StatusCode);
        }

        // A manager's form with a valid antiforgery token, so only the role check stands in the way.
        var manager = await fixture.NewPageAsync("mona", "manager");
        await manager.GotoAsync($"{fixture.DashboardUrl}/queues/{Queue}");
        var token = manager.Locator("input[name=__RequestVerificationToken]").First;
        foreach (var (path, role) in new[] { ("/users", "admin"), ("/users/remove", "") })
        {
            var form = manager.Context.APIRequest.CreateFormData();
            form.Set("__RequestVerificationToken", (await token.GetAttributeAsync("value"))!);
            form.Set("user", "tess");
            form.Set("role", role);
            form.Set("reason", "forged");
            var response = await manager.Context.APIRequest.PostAsync(fixture.DashboardUrl + path, new() { Form = form, MaxRedirects = 0 });
            Assert.Equal((int)HttpStatusCode.Forbidden, response.Status);
        }

        await manager.Context.CloseAsync();
        var audit = await fixture.RoleAuditAsync();
        Assert.DoesNotContain(audit, e => e["reason"] == "forged");
        Assert.Equal(audited, audit.Length);
        Assert.Equal(DashboardRole.Operator, await assignments.GetAsync("tess"));
    }

    [Fact]
    public async Task Requests_without_a_user_are_refused_and_users_without_a_role_get_403()
    {
        using var anonymous = fixture.NewClient(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(fixture.DashboardUrl + "/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsync($"{fixture.DashboardUrl}/queues/{Queue}/pause", new FormUrlEncodedContent([]))).StatusCode);

        using var stranger = fixture.NewClient("stranger");
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync(fixture.DashboardUrl + "/")).StatusCode);

        using var viewer = fixture.NewClient("vic", "viewer");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync(fixture.DashboardUrl + "/users")).StatusCode);
    }

    [Fact]
    public async Task Pages_are_readable_without_javascript()
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            JavaScriptEnabled = false,
            ExtraHTTPHeaders = new Dictionary<string, string> { [TestAuthenticationHandler.UserHeader] = "vic", [TestAuthenticationHandler.RolesHeader] = "viewer" },
        });
        const string queue = "no-script";
        var id = await fixture.QueueIdAsync(queue, MessageState.Ready, await fixture.SendOneAsync(queue, new WorkItem("plain", 4)));
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.DashboardUrl + "/");
        await page.Locator($"tr[data-queue='{queue}'] a.queue-name").ClickAsync();
        await Expect(page.GetByTestId("queue-title")).ToHaveTextAsync(queue);
        await Expect(page.GetByTestId("count-ready")).ToHaveTextAsync("1");
        await page.Locator($"a:text-is('{id}')").ClickAsync();
        await Expect(page.GetByTestId("message-urgency")).ToContainTextAsync("4");
        await context.CloseAsync();
    }
}

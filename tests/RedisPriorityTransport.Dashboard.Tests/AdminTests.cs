using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Dashboard.Security;
using RedisPriorityTransport.Dashboard.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RedisPriorityTransport.Dashboard.Tests;

/// <summary>
/// An admin assigns a role on the users page and the user's dashboard changes with it; every role change is audited in
/// Redis and listed on the users page.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class AdminTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Admin_assigns_a_role_on_the_users_page_and_that_users_view_changes()
    {
        const string queue = "roles";
        await fixture.Admin.PauseAsync(queue, "test-setup");
        var id = await fixture.QueueIdAsync(queue, MessageState.Ready, await fixture.SendOneAsync(queue, new WorkItem("waiting", 3)));
        var messageUrl = $"{fixture.DashboardUrl}/queues/{queue}/messages/{id}";

        // dora's claims make her a viewer.
        var dora = await fixture.NewPageAsync("dora", "viewer");
        await dora.GotoAsync(messageUrl);
        await Expect(dora.GetByTestId("who")).ToContainTextAsync("viewer");
        Assert.Equal(0, await dora.GetByTestId("prioritize").CountAsync());

        var admin = await fixture.NewPageAsync("ada", "admin");
        var trouble = DashboardFixture.WatchForTrouble(admin);
        await admin.GotoAsync(fixture.DashboardUrl + "/");
        await admin.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await admin.GetByTestId("assign-user").FillAsync("dora");
        await admin.GetByTestId("assign-role").SelectOptionAsync("operator");
        await admin.GetByTestId("assign").ClickAsync();
        await Expect(admin.Locator("tr[data-user=dora]")).ToContainTextAsync("operator");

        await dora.ReloadAsync();
        await Expect(dora.GetByTestId("who")).ToContainTextAsync("operator");
        await Expect(dora.GetByTestId("prioritize")).ToBeVisibleAsync();
        Assert.Equal(0, await dora.GetByTestId("urgent").CountAsync());
        // dora is still no admin: the users page stays closed to her.
        Assert.Equal(0, await dora.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Users" }).CountAsync());

        // An admin may go to 10.
        await admin.GotoAsync(messageUrl);
        await admin.GetByTestId("priority-reason").FillAsync("board asked");
        await admin.GetByTestId("critical").ClickAsync();
        await Expect(admin.GetByTestId("message-urgency")).ToContainTextAsync("10 · Critical");
        Assert.Empty(trouble);
        await dora.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task Role_changes_are_audited_in_redis_and_listed_on_the_users_page()
    {
        // A name only this test uses: the audit is shared with the other tests of the fixture.
        const string target = "rhea";
        var before = await RedisMillisecondsAsync();

        var admin = await fixture.NewPageAsync("ada", "admin");
        var trouble = DashboardFixture.WatchForTrouble(admin);
        await admin.GotoAsync(fixture.DashboardUrl + "/users");
        await Assign(target, "viewer", "joins the on-call rota");
        await Assign(target, "manager", "<b>leads</b> the rota");
        // The same role again changes nothing and writes no entry.
        await Assign(target, "manager", "");
        await Expect(admin.Locator(".notice")).ToContainTextAsync("already");
        await admin.Locator($"tr[data-user={target}] input[name=reason]").FillAsync("left the team");
        await admin.Locator($"tr[data-user={target}] button[type=submit]").ClickAsync();
        await Expect(admin.Locator($"tr[data-user={target}]")).ToHaveCountAsync(0);

        // Newest first: removed, changed, assigned; each names the acting admin, the user and from → to.
        var rows = admin.GetByTestId("role-change").Filter(new() { Has = admin.Locator($"td[data-testid=role-change-user]:text-is('{target}')") });
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Locator("[data-testid=role-change-actor]")).ToHaveTextAsync(["ada", "ada", "ada"]);
        await Expect(rows.Locator("[data-testid=role-change-from]")).ToHaveTextAsync(["manager", "viewer", "none"]);
        await Expect(rows.Locator("[data-testid=role-change-to]")).ToHaveTextAsync(["none", "manager", "viewer"]);
        // The reason is text, markup included.
        await Expect(rows.Locator("[data-testid=role-change-reason]")).ToHaveTextAsync(["left the team", "<b>leads</b> the rota", "joins the on-call rota"]);
        await Expect(rows.First.Locator("td").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} UTC$"));
        await DashboardFixture.ScreenshotAsync(admin, "users-history");
        Assert.Empty(trouble);
        await admin.Context.CloseAsync();

        // In Redis: three entries in order, with ids Redis gave them from its own clock (between two TIME readings).
        var after = await RedisMillisecondsAsync();
        var entries = (await fixture.RoleAuditAsync()).Where(e => e["target"] == target).ToList();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal("ada", (string?)e["user"]));
        Assert.Equal(new string?[] { "", "viewer", "manager" }, entries.Select(e => (string?)e["from"]));
        Assert.Equal(new string?[] { "viewer", "manager", "" }, entries.Select(e => (string?)e["to"]));
        Assert.Equal(new string?[] { "joins the on-call rota", "<b>leads</b> the rota", "left the team" }, entries.Select(e => (string?)e["reason"]));
        foreach (var entry in entries)
        {
            var ms = long.Parse(((string)entry.Id!).Split('-')[0], CultureInfo.InvariantCulture);
            Assert.InRange(ms, before, after);
        }

        // The assignment and its audit live in one cluster slot, so one script can write both.
        var assignments = fixture.Services.GetRequiredService<RoleAssignments>();
        Assert.Equal(fixture.KeyPrefix + "{dashboard}:roles", (string?)assignments.Key);
        Assert.Equal(fixture.KeyPrefix + "{dashboard}:audit", (string?)assignments.AuditKey);
        Assert.Equal(fixture.Redis.Connection.HashSlot(assignments.Key), fixture.Redis.Connection.HashSlot(assignments.AuditKey));

        async Task Assign(string user, string role, string reason)
        {
            await admin.GetByTestId("assign-user").FillAsync(user);
            await admin.GetByTestId("assign-role").SelectOptionAsync(role);
            await admin.GetByTestId("assign-reason").FillAsync(reason);
            await admin.GetByTestId("assign").ClickAsync();
            await Expect(admin.Locator($"tr[data-user={user}]")).ToContainTextAsync(role);
        }
    }

    async Task<long> RedisMillisecondsAsync()
    {
        var time = (StackExchange.Redis.RedisResult[])(await fixture.Redis.Connection.GetDatabase().ExecuteAsync("TIME"))!;
        return (long)time[0] * 1000 + (long)time[1] / 1000;
    }
}

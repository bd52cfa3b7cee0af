using RedisPriorityTransport.Dashboard.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RedisPriorityTransport.Dashboard.Tests;

/// <summary>An admin assigns a role on the users page and the user's dashboard changes with it.</summary>
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
}

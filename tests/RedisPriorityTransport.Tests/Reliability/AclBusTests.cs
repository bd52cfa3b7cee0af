using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Transport;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Reliability;

public record PriceQuery(string Sku);

public record PriceAnswer(string Sku, decimal Price);

public sealed class PriceConsumer : IConsumer<PriceQuery>
{
    public Task Consume(ConsumeContext<PriceQuery> context) => context.RespondAsync(new PriceAnswer(context.Message.Sku, 9.5m));
}

/// <summary>
/// A whole MassTransit bus runs under the least-privilege ACL user of docs/security.md, with its client settings:
/// publish, send, consume, request/response, a fault into the error queue and the deletion of the temporary bus queue,
/// without a single refusal in <c>ACL LOG</c>. A user missing a permission fails the bus start at once, naming it.
/// </summary>
public sealed class AclBusTests(ITestOutputHelper output) : DedicatedRedisTestBase
{
    const string User = AclLeastPrivilegeTests.User;
    const string Password = AclLeastPrivilegeTests.Password;

    [RedisFact]
    public async Task A_whole_bus_runs_under_the_documented_rule_and_leaves_ACL_LOG_empty()
    {
        await Server.CommandAsync(["ACL", "SETUSER", User, "on", ">" + Password, .. AclLeastPrivilegeTests.Rule]);
        await Server.CommandAsync("ACL", "LOG", "RESET");
        var counter = new AttemptCounter();
        await using var provider = BuildBus(counter, out var harness);

        await harness.Start();
        await harness.Bus.Publish(new InvoiceRequested("published"));
        await (await harness.Bus.GetSendEndpoint(new Uri("queue:Invoice"))).Send(new InvoiceRequested("sent"));
        var answer = await harness.GetRequestClient<PriceQuery>().GetResponse<PriceAnswer>(new PriceQuery("sku-1"));
        await harness.Bus.Publish(new FailingCommand("always-fails", 99));
        Assert.Equal(9.5m, answer.Message.Price);
        Assert.True(await harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "published"));
        Assert.True(await harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "sent"));
        await Eventually.HoldsAsync(async () => await Server.CommandAsync("ZCARD", $"{AclLeastPrivilegeTests.Prefix}{{Failing}}:Failing_error:ready") == "1",
            TimeSpan.FromSeconds(30), "the failing message to reach the error queue");
        await harness.Stop();

        var log = (await Server.CommandAsync("ACL", "LOG")).Split('\n');
        var denials = string.Join(", ", log.Select((line, i) => (line, i)).Where(x => x.line == "object").Select(x => log[x.i + 1]).Distinct());
        output.WriteLine($"a whole bus ran as {User}; ACL LOG: {(denials.Length == 0 ? "empty (nothing denied)" : string.Join(" ", log))}");
        Assert.Equal(string.Empty, denials);
    }

    [RedisFact]
    public async Task A_missing_permission_fails_the_bus_start_at_once_naming_it()
    {
        var withoutSadd = AclLeastPrivilegeTests.Rule.Where(part => part != "+sadd").ToArray();
        await Server.CommandAsync(["ACL", "SETUSER", User, "on", ">" + Password, .. withoutSadd]);
        await using var provider = BuildBus(new AttemptCounter(), out var harness);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => harness.Start().WaitAsync(TimeSpan.FromSeconds(30)));

        output.WriteLine($"bus start failed after {started.ElapsedMilliseconds} ms: {failure.GetType().Name}: {failure.Message}");
        Assert.IsNotType<TimeoutException>(failure);
        Assert.Contains("sadd", failure.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("NOPERM", failure.ToString(), StringComparison.Ordinal);
    }

    [RedisFact]
    public async Task A_wrong_password_fails_the_bus_start_at_once()
    {
        await Server.CommandAsync(["ACL", "SETUSER", User, "on", ">" + Password, .. AclLeastPrivilegeTests.Rule]);
        // As on any server with users: no anonymous access (a failed AUTH would otherwise leave the connection as "default").
        await Server.CommandAsync("ACL", "SETUSER", "default", "off");
        await using var provider = BuildBus(new AttemptCounter(), out var harness, password: "not-the-password");

        var started = System.Diagnostics.Stopwatch.StartNew();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => harness.Start().WaitAsync(TimeSpan.FromSeconds(30)));

        output.WriteLine($"bus start failed after {started.ElapsedMilliseconds} ms: {failure.GetType().Name}: {failure.Message}");
        Assert.IsNotType<TimeoutException>(failure);
        Assert.Contains("authentication", failure.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("not-the-password", failure.ToString(), StringComparison.Ordinal);
    }

    [RedisFact]
    public async Task A_password_refused_while_connecting_is_known_to_the_bus_although_the_client_reported_it_before_anyone_listened()
    {
        // StackExchange.Redis raises ConnectionFailed for a refused AUTH during ConnectAsync, before the caller can
        // subscribe, and not again while it retries: without the connect log the bus would only learn of it from a
        // command's failure, whose chain may name only a socket reset, and would retry a wrong password for ever.
        await Server.CommandAsync(["ACL", "SETUSER", User, "on", ">" + Password, .. AclLeastPrivilegeTests.Rule]);
        await Server.CommandAsync("ACL", "SETUSER", "default", "off");
        var settings = new RedisPriorityTransport.Transport.RedisHostSettings
        {
            Options = StackExchange.Redis.ConfigurationOptions.Parse($"{Server.Configuration},user={User},password=not-the-password"),
        };

        var (connection, owned, refused) = await settings.ConnectAsync();
        await using var _ = connection;

        output.WriteLine($"refused: {refused?.Message}");
        Assert.True(owned);
        Assert.False(connection.IsConnected);
        var failure = Assert.IsType<StackExchange.Redis.RedisConnectionException>(refused);
        Assert.Equal(StackExchange.Redis.ConnectionFailureType.AuthenticationFailure, failure.FailureType);
        Assert.True(RedisPriorityTransport.Transport.RedisFaults.NamesRefusal(failure));
        Assert.Contains("authentication", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("not-the-password", failure.Message, StringComparison.Ordinal);

        // With the right password there is nothing to report.
        settings.Options = StackExchange.Redis.ConfigurationOptions.Parse($"{Server.Configuration},user={User},password={Password}");
        var (good, _, none) = await settings.ConnectAsync();
        await using var __ = good;
        Assert.Null(none);
    }

    ServiceProvider BuildBus(AttemptCounter counter, out ITestHarness harness, string password = Password)
    {
        var services = new ServiceCollection();
        services.AddSingleton(counter);
        services.AddMassTransitTestHarness(x =>
        {
            x.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60), testInactivityTimeout: TimeSpan.FromSeconds(5));
            x.AddConsumer<InvoiceConsumer>();
            x.AddConsumer<PriceConsumer>();
            x.AddConsumer<FailingConsumer>();
            x.UsingRedis((context, cfg) =>
            {
                cfg.Host($"{Server.Configuration},user={User},password={password},{AclLeastPrivilegeTests.LeastPrivilegeOptions}",
                    h => h.KeyPrefix = AclLeastPrivilegeTests.Prefix);
                cfg.ConfigureEndpoints(context);
            });
        });
        var provider = services.BuildServiceProvider(true);
        harness = provider.GetRequiredService<ITestHarness>();
        return provider;
    }
}

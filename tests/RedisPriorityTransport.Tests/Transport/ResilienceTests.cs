using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Transport;

public record SlowJob(string Id, int WorkMs);

public sealed class SlowJobConsumer(AttemptCounter counter) : IConsumer<SlowJob>
{
    public async Task Consume(ConsumeContext<SlowJob> context)
    {
        counter.Attempt(context.Message.Id);
        await Task.Delay(context.Message.WorkMs);
        counter.Success(context.Message.Id, context);
    }
}

public class ResilienceTests : TransportTestBase
{
    [Fact]
    public async Task The_lease_is_renewed_while_a_consumer_runs_longer_than_the_lease()
    {
        var counter = new AttemptCounter();
        await StartHarness(x =>
        {
            x.AddSingleton(counter);
            x.AddConsumer<SlowJobConsumer>();
        }, (context, cfg) => cfg.LockDuration = TimeSpan.FromMilliseconds(1500));

        // The job runs for almost three leases. The lease is not shorter: on a loaded CI machine a 600 ms lease was lost
        // to a stalled thread pool (renewal every 200 ms plus a reply that came late), which this test must not measure.
        await Harness.Bus.Publish(new SlowJob("long", 4000));

        // The lease is renewed while the job runs: its expiry in Redis moves past the first lease.
        var inflight = Redis.Connection.GetDatabase();
        var key = $"{KeyPrefix}{{SlowJob}}:SlowJob:inflight";
        double? first = null;
        await Eventually.HoldsAsync(async () =>
        {
            var members = await inflight.SortedSetRangeByRankWithScoresAsync(key);
            if (members.Length == 0)
                return false;
            first ??= members[0].Score;
            return members[0].Score > first.Value;
        }, TimeSpan.FromSeconds(30), "the lease of the running job to be renewed");
        await PriorityOrderTests.WaitUntil(() => counter.Succeeded("long"), TimeSpan.FromSeconds(30), "the long job finished");
        // A lost lease would show as a second attempt: a redelivery to this same process is handled, not parked.
        Assert.Equal(1, counter.AttemptsOf("long"));
        await using var queue = Queue("SlowJob");
        await PriorityOrderTests.WaitUntil(() => queue.GetCountsAsync().Result is { Ready: 0, InFlight: 0 }, TimeSpan.FromSeconds(10), "the job was acknowledged");
    }

    [Fact]
    public async Task Stopping_the_bus_finishes_running_messages_and_leaves_the_rest_in_place()
    {
        var counter = new AttemptCounter();
        await StartHarness(x =>
        {
            x.AddSingleton(counter);
            x.AddConsumer<SlowJobConsumer>(c => c.ConcurrentMessageLimit = 2);
        });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:SlowJob"));
        for (var i = 0; i < 20; i++)
            await endpoint.Send(new SlowJob($"job{i}", 300));
        await PriorityOrderTests.WaitUntil(() => counter.AttemptsOf("job0") == 1, TimeSpan.FromSeconds(30), "the first job started");

        await Services.GetRequiredService<IBusControl>().StopAsync(TimeSpan.FromSeconds(30));

        var started = Enumerable.Range(0, 20).Count(i => counter.AttemptsOf($"job{i}") > 0);
        var finished = Enumerable.Range(0, 20).Count(i => counter.Succeeded($"job{i}"));
        Assert.Equal(started, finished);
        await using var queue = Queue("SlowJob");
        var counts = await queue.GetCountsAsync();
        Assert.Equal(0, counts.InFlight);
        Assert.True(finished < 20, "Every job ran: the bus did not stop early enough to test anything.");
        Assert.Equal(20 - finished, counts.Ready);
        var next = (await queue.ReserveAsync(1, TimeSpan.FromSeconds(5))).Messages.Single();
        Assert.Equal(1, next.DeliveryCount);
    }

    [Fact]
    public async Task The_bus_reconnects_after_its_connections_are_killed()
    {
        var clientName = "rpt-test-" + Guid.NewGuid().ToString("N")[..8];
        await StartHarness(x => x.AddConsumer<InvoiceConsumer>(),
            (context, cfg) => cfg.Host(Redis.Configuration, h =>
            {
                h.KeyPrefix = KeyPrefix;
                h.ConfigureOptions(o => o.ClientName = clientName);
            }));
        await Harness.Bus.Publish(new InvoiceRequested("before"));
        Assert.True(await Harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "before"));

        var server = Redis.Connection.GetServers().Single();
        var killed = 0;
        foreach (var client in await server.ClientListAsync())
        {
            if (client.Name == clientName)
                killed += (int)await server.ClientKillAsync(client.Id, clientType: null, endpoint: null, skipMe: true);
        }

        Assert.True(killed > 0, "No connection of the bus was found to kill.");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await Harness.Bus.Publish(new InvoiceRequested("after"));
                break;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }

        Assert.True(await Harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "after"));
    }

    [Fact]
    public async Task A_connection_registered_in_the_container_is_used_when_no_host_is_named()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConnectionMultiplexer>(Redis.Connection);
        services.AddMassTransitTestHarness(x =>
        {
            x.AddConsumer<InvoiceConsumer>();
            x.UsingRedis((context, cfg) =>
            {
                cfg.KeyPrefix = KeyPrefix;
                cfg.ConfigureEndpoints(context);
            });
        });
        await using var provider = services.BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            await harness.Bus.Publish(new InvoiceRequested("shared connection"));
            Assert.True(await harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "shared connection"));
            Assert.True(Redis.Connection.IsConnected, "The bus must not close a connection it does not own.");
        }
        finally
        {
            await harness.Stop();
        }

        Assert.True(Redis.Connection.IsConnected, "The bus must not close a connection it does not own.");
    }

    [Fact]
    public async Task Messages_published_through_the_in_memory_outbox_keep_the_inherited_priority()
    {
        await StartHarness(x =>
        {
            x.AddConsumer<OrderConsumer>();
            x.AddConsumer<InvoiceConsumer>();
        }, (context, cfg) => cfg.UseInMemoryOutbox(context));

        await Harness.Bus.Publish(new OrderPlaced("outbox"), context => context.SetUrgency(Urgency.Critical));

        Assert.True(await Harness.GetConsumerHarness<InvoiceConsumer>().Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "outbox"));
        var consumed = Harness.GetConsumerHarness<InvoiceConsumer>().Consumed.Select<InvoiceRequested>().Single().Context;
        Assert.Equal("10", consumed.Headers.Get<string>("Urgency"));
    }
}

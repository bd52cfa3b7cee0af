using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace RedisPriorityTransport.Tests.Transport;

public record OrderPlaced(string OrderId);

public record InvoiceRequested(string OrderId);

public record StatusRequest(string Id);

public record StatusResponse(string Id, string Status);

[MessagePriority(Urgency = Urgency.Low, EventType = "log")]
public record AuditEntry(string Text);

public record Alarm(string Text, [property: Urgency] int Level);

public sealed class OrderConsumer : IConsumer<OrderPlaced>
{
    public Task Consume(ConsumeContext<OrderPlaced> context) => context.Publish(new InvoiceRequested(context.Message.OrderId));
}

public sealed class InvoiceConsumer : IConsumer<InvoiceRequested>
{
    public Task Consume(ConsumeContext<InvoiceRequested> context) => Task.CompletedTask;
}

public sealed class StatusConsumer : IConsumer<StatusRequest>
{
    public Task Consume(ConsumeContext<StatusRequest> context) => context.RespondAsync(new StatusResponse(context.Message.Id, "ok"));
}

public sealed class AuditConsumer : IConsumer<AuditEntry>
{
    public Task Consume(ConsumeContext<AuditEntry> context) => Task.CompletedTask;
}

public class FeatureTests : TransportTestBase
{
    [Fact]
    public async Task A_message_published_by_a_consumer_inherits_the_urgency_of_the_message_it_consumes()
    {
        await StartHarness(x =>
        {
            x.AddConsumer<OrderConsumer>();
            x.AddConsumer<InvoiceConsumer>();
        });

        await Harness.Bus.Publish(new OrderPlaced("o-1"), context =>
        {
            context.SetUrgency(Urgency.Urgent);
            context.SetEventType("transaction");
        });

        var invoices = Harness.GetConsumerHarness<InvoiceConsumer>();
        Assert.True(await invoices.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "o-1"));
        var consumed = invoices.Consumed.Select<InvoiceRequested>().Single().Context;
        Assert.True(consumed.TryGetPayload<RedisMessageContext>(out var redis));
        Assert.Equal(new MessagePriority(Urgency.Urgent, "transaction"), redis.Priority);
    }

    [Fact]
    public async Task Priority_comes_from_the_override_then_the_message_then_the_consumed_message_then_normal()
    {
        await StartHarness(x => x.AddConsumer<AuditConsumer>());
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:priorities"));
        await using var queue = Queue("priorities");

        await endpoint.Send(new AuditEntry("declared"));
        await endpoint.Send(new AuditEntry("overridden"), context => context.SetUrgency(Urgency.Critical));
        await endpoint.Send(new Alarm("property", 9));
        await endpoint.Send(new OrderPlaced("plain"));

        var messages = (await queue.ReserveAsync(10, TimeSpan.FromSeconds(30))).Messages;
        Assert.Equal(
            [new MessagePriority(Urgency.Critical, "log"), new MessagePriority(Urgency.Urgent), new MessagePriority(Urgency.Normal), new MessagePriority(Urgency.Low, "log")],
            messages.Select(m => m.Priority));
    }

    [Fact]
    public async Task An_invalid_urgency_fails_the_send_and_writes_nothing()
    {
        await StartHarness(_ => { });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:invalid"));

        var exception = await Assert.ThrowsAsync<InvalidUrgencyException>(() => endpoint.Send(new Alarm("too loud", 11)));
        Assert.Contains("11", exception.Message);
        Assert.Contains(nameof(Alarm), exception.Message);
        await Assert.ThrowsAsync<InvalidUrgencyException>(() => endpoint.Send(new Alarm("overridden", 1), context => context.SetUrgency((Urgency)42)));

        await using var queue = Queue("invalid");
        Assert.Equal(0, (await queue.GetCountsAsync()).Ready);
    }

    [Fact]
    public async Task Request_and_response_travel_through_the_temporary_bus_queue()
    {
        await StartHarness(x =>
        {
            x.AddConsumer<StatusConsumer>();
            x.AddRequestClient<StatusRequest>();
        });

        var client = Harness.GetRequestClient<StatusRequest>();
        var response = await client.GetResponse<StatusResponse>(new StatusRequest("r-1"), timeout: RequestTimeout.After(s: 30));

        Assert.Equal("ok", response.Message.Status);
    }

    [Fact]
    public async Task The_temporary_bus_queue_is_deleted_when_the_bus_stops()
    {
        await StartHarness(x => x.AddConsumer<StatusConsumer>());
        var busQueue = Harness.Bus.Address.AbsolutePath.Trim('/');
        var client = Harness.Bus.CreateRequestClient<StatusRequest>();
        await client.GetResponse<StatusResponse>(new StatusRequest("r-2"), timeout: RequestTimeout.After(s: 30));

        await Harness.Stop();

        var keys = Redis.Connection.GetServers().Single().Keys(pattern: KeyPrefix + "*" + busQueue + "*").ToArray();
        Assert.Empty(keys);
    }

    [Fact]
    public async Task Scheduled_messages_wait_in_the_delayed_set_until_due()
    {
        await StartHarness(x =>
        {
            x.AddDelayedMessageScheduler();
            x.AddConsumer<InvoiceConsumer>();
        }, configure: (context, cfg) => cfg.UseDelayedMessageScheduler());

        var scheduler = Harness.Scope.ServiceProvider.GetRequiredService<IMessageScheduler>();
        var sent = DateTime.UtcNow;
        await scheduler.ScheduleSend(new Uri("queue:Invoice"), sent.AddSeconds(1.5), new InvoiceRequested("later"));

        await using var queue = Queue("Invoice");
        Assert.Equal(1, (await queue.GetCountsAsync()).Delayed + (await queue.GetCountsAsync()).InFlight + (await queue.GetCountsAsync()).Ready);
        Assert.True(await Harness.GetConsumerHarness<InvoiceConsumer>().Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "later"));
        Assert.True(DateTime.UtcNow - sent >= TimeSpan.FromSeconds(1.4), "The scheduled message arrived early.");
    }

    [Fact]
    public async Task PurgeOnStartup_drops_the_messages_waiting_before_the_endpoint_starts()
    {
        await using (var queue = Queue("purged"))
        {
            await queue.EnqueueAsync(new QueueMessage("stale-1", "{}"u8.ToArray()));
            await queue.EnqueueAsync(new QueueMessage("stale-2", "{}"u8.ToArray()));
        }

        await StartHarness(_ => { }, configure: (context, cfg) => cfg.ReceiveEndpoint("purged", e =>
        {
            e.PurgeOnStartup = true;
            e.Consumer<InvoiceConsumer>();
        }));
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:purged"));
        await endpoint.Send(new InvoiceRequested("fresh"));

        Assert.True(await Harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "fresh"));
        await using var check = Queue("purged");
        await PriorityOrderTests.WaitUntil(() => check.GetCountsAsync().Result is { Ready: 0, InFlight: 0 }, TimeSpan.FromSeconds(10), "the queue is empty");
        await using var skipped = Queue("purged_skipped");
        Assert.Equal(0, (await skipped.GetCountsAsync()).Ready);
        Assert.Single(Harness.Consumed.Select<InvoiceRequested>());
    }
}

using MassTransit;
using MassTransit.Testing;
using RedisPriorityTransport.Tests.Infrastructure;
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

public record RelayRequest(string Text);

/// <summary>Sends, while consuming, one message without a priority of its own and one with a declared priority.</summary>
public sealed class RelayConsumer : IConsumer<RelayRequest>
{
    public async Task Consume(ConsumeContext<RelayRequest> context)
    {
        var endpoint = await context.GetSendEndpoint(new Uri("queue:priorities"));
        await endpoint.Send(new OrderPlaced("inherited"));
        await endpoint.Send(new AuditEntry("declared-while-consuming"));
    }
}

public class FeatureTests : TransportTestBase
{
    /// <summary>The one text field of a test message, read from its envelope.</summary>
    static string TextOf(ReservedMessage message)
    {
        using var envelope = System.Text.Json.JsonDocument.Parse(message.Body);
        var body = envelope.RootElement.GetProperty("message");
        foreach (var name in new[] { "text", "orderId" })
        {
            if (body.TryGetProperty(name, out var value))
                return value.GetString()!;
        }

        return "?";
    }

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
        await StartHarness(x =>
        {
            x.AddConsumer<AuditConsumer>();
            x.AddConsumer<RelayConsumer>();
        });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:priorities"));
        await using var queue = Queue("priorities");

        await endpoint.Send(new AuditEntry("declared"));
        await endpoint.Send(new AuditEntry("overridden"), context => context.SetUrgency(Urgency.Critical));
        await endpoint.Send(new Alarm("property", 9));
        await endpoint.Send(new OrderPlaced("plain"));
        // The consumed message: a consumer of a High message sends one message without a priority (it inherits High)
        // and one with a declared priority (the declaration wins over the consumed message).
        await Harness.Bus.Publish(new RelayRequest("relay"), context => context.SetUrgency(Urgency.High));
        Assert.True(await Harness.GetConsumerHarness<RelayConsumer>().Consumed.Any<RelayRequest>());
        await Eventually.HoldsAsync(async () => (await queue.GetCountsAsync()).Ready == 6, TimeSpan.FromSeconds(30), "six messages in the queue");

        var messages = (await queue.ReserveAsync(10, TimeSpan.FromSeconds(30))).Messages;
        Assert.Equal(
            [
                ("overridden", new MessagePriority(Urgency.Critical, "log")), ("property", new MessagePriority(Urgency.Urgent)),
                ("inherited", new MessagePriority(Urgency.High)), ("plain", new MessagePriority(Urgency.Normal)),
                ("declared", new MessagePriority(Urgency.Low, "log")), ("declared-while-consuming", new MessagePriority(Urgency.Low, "log")),
            ],
            messages.Select(m => (TextOf(m), m.Priority)));
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

using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Transport;

namespace RedisPriorityTransport.Tests.Operations;

/// <summary>A message an operator rushed keeps its new urgency down the pipeline: its follow-ups inherit it.</summary>
public sealed class RushedPipelineTests : TransportTestBase
{
    [RedisFact]
    public async Task A_follow_up_of_a_rushed_message_inherits_the_rushed_urgency_not_the_one_it_was_sent_with()
    {
        await StartHarness(x => x.AddConsumer<InvoiceConsumer>());
        // OrderPlaced has no consumer yet: it waits, and the operator rushes it.
        var orders = await Harness.Bus.GetSendEndpoint(new Uri("queue:rushed-orders"));
        var messageId = NewId.NextGuid();
        await orders.Send(new OrderPlaced("rushed-1"), context =>
        {
            context.MessageId = messageId;
            context.SetUrgency(Urgency.Low);
        });
        var admin = Services.GetRequiredService<IPriorityQueueAdmin>();
        await admin.CriticalAsync("rushed-orders", messageId.ToString(), "ops", "customer waiting");

        // The consumer publishes InvoiceRequested, which declares no urgency: it inherits the consumed message's.
        var handle = Harness.Bus.ConnectReceiveEndpoint("rushed-orders", e => e.Consumer<OrderConsumer>());
        await handle.Ready.WaitAsync(TimeSpan.FromSeconds(30));

        var invoices = Harness.GetConsumerHarness<InvoiceConsumer>();
        Assert.True(await invoices.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "rushed-1"));
        var consumed = invoices.Consumed.Select<InvoiceRequested>(x => x.Context.Message.OrderId == "rushed-1").Single().Context;
        Assert.True(consumed.TryGetPayload<RedisMessageContext>(out var redis));
        Assert.Equal(Urgency.Critical, redis.Priority.Urgency);
        await handle.StopAsync();
    }
}

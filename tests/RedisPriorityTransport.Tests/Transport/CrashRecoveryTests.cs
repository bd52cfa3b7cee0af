using MassTransit;
using MassTransit.Testing;

using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Transport;

public class CrashRecoveryTests : TransportTestBase
{
    public CrashRecoveryTests()
    {
    }

    protected CrashRecoveryTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    [RedisFact]
    public async Task A_message_leased_by_a_process_that_died_is_delivered_again_after_the_lease_expires()
    {
        await StartHarness(_ => { });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:orphans"));
        await endpoint.Send(new InvoiceRequested("orphan"), context => context.SetUrgency(Urgency.High));

        // Another process took the message and died without acknowledging it: only its lease is left in Redis.
        await using (var queue = Queue("orphans"))
            Assert.Single((await queue.ReserveAsync(1, TimeSpan.FromMilliseconds(800))).Messages);

        var handle = Harness.Bus.ConnectReceiveEndpoint("orphans", e => e.Consumer<InvoiceConsumer>());
        await handle.Ready.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(await Harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "orphan"));
        var context = Harness.Consumed.Select<InvoiceRequested>().Single().Context;
        Assert.True(context.ReceiveContext.Redelivered);
        Assert.True(context.TryGetPayload<RedisMessageContext>(out var redis));
        Assert.Equal(2, redis.DeliveryCount);
        Assert.Equal(Urgency.High, redis.Priority.Urgency);
        await handle.StopAsync(CancellationToken.None);
    }
}

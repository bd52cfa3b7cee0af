// This file is written as an application that runs RabbitMQ and this library side by side would write it: outside the
// library's namespace, importing MassTransit (where MassTransit.RabbitMQ puts its Defer) and RedisPriorityTransport
// (SetUrgency). It compiles only while no extension of this library clashes with MassTransit's own (CS0121).
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport;
using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Transport;

namespace NextToRabbitMqApplication;

public record DeferredOnce(string Id);

public sealed class DeferOnceConsumer(AttemptCounter counter) : IConsumer<DeferredOnce>
{
    public async Task Consume(ConsumeContext<DeferredOnce> context)
    {
        if (counter.Attempt(context.Message.Id) == 1)
        {
            await context.Defer(TimeSpan.FromMilliseconds(100));
            return;
        }

        counter.Success(context.Message.Id, context);
    }
}

public class DeferNextToRabbitMqTests : TransportTestBase
{
    [RedisFact]
    public async Task SetUrgency_and_MassTransits_Defer_work_in_one_file_next_to_MassTransit_RabbitMQ()
    {
        // The RabbitMQ package is really referenced, not only its namespace.
        Assert.NotNull(typeof(IRabbitMqBusFactoryConfigurator).Assembly);

        var counter = new AttemptCounter();
        await StartHarness(x =>
        {
            x.AddSingleton(counter);
            x.AddConsumer<DeferOnceConsumer>();
        });

        await Harness.Bus.Publish(new DeferredOnce("rabbit-1"), context => context.SetUrgency(Urgency.Urgent));

        await Eventually.HoldsAsync(() => Task.FromResult(counter.Succeeded("rabbit-1")), TimeSpan.FromSeconds(30),
            "the deferred message came back");
        Assert.Equal(2, counter.AttemptsOf("rabbit-1"));
        Assert.True(counter.SuccessOf("rabbit-1").TryGetPayload<RedisMessageContext>(out var redis));
        Assert.Equal(Urgency.Urgent, redis.Priority.Urgency);
    }
}

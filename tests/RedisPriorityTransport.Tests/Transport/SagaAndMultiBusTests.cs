using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Transport;

public record ShipmentStarted(Guid ShipmentId);

public record ShipmentDelivered(Guid ShipmentId);

public sealed class ShipmentState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";
}

public sealed class ShipmentStateMachine : MassTransitStateMachine<ShipmentState>
{
    public ShipmentStateMachine()
    {
        InstanceState(x => x.CurrentState);
        Event(() => Started, e => e.CorrelateById(m => m.Message.ShipmentId));
        Event(() => Delivered, e => e.CorrelateById(m => m.Message.ShipmentId));

        Initially(When(Started).TransitionTo(InTransit));
        During(InTransit, When(Delivered).TransitionTo(Done));
    }

    public State InTransit { get; private set; } = null!;

    public State Done { get; private set; } = null!;

    public Event<ShipmentStarted> Started { get; private set; } = null!;

    public Event<ShipmentDelivered> Delivered { get; private set; } = null!;
}

public interface IShippingBus : IBus;

public class SagaAndMultiBusTests : TransportTestBase
{
    [Fact]
    public async Task A_state_machine_saga_runs_on_the_redis_bus()
    {
        await StartHarness(x => x.AddSagaStateMachine<ShipmentStateMachine, ShipmentState>().InMemoryRepository());
        var id = Guid.NewGuid();

        await Harness.Bus.Publish(new ShipmentStarted(id));
        var saga = Harness.GetSagaStateMachineHarness<ShipmentStateMachine, ShipmentState>();
        Assert.NotNull(await saga.Exists(id, machine => machine.InTransit, TimeSpan.FromSeconds(30)));

        await Harness.Bus.Publish(new ShipmentDelivered(id));
        Assert.NotNull(await saga.Exists(id, machine => machine.Done, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task UsingRedis_works_for_a_second_bus_registered_with_AddMassTransit_of_TBus()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<NoteLog>();
        services.AddMassTransit(x => x.UsingInMemory());
        services.AddMassTransit<IShippingBus>(x =>
        {
            x.AddConsumer<RedisNoteConsumer>();
            x.UsingRedis((context, cfg) =>
            {
                cfg.Host(Redis.Configuration, h => h.KeyPrefix = KeyPrefix);
                cfg.ConfigureEndpoints(context);
            });
        });
        await using var provider = services.BuildServiceProvider(true);
        var instances = provider.GetServices<MassTransit.Transports.IBusInstance>().ToArray();
        foreach (var instance in instances)
            await instance.BusControl.StartAsync(TimeSpan.FromSeconds(30));
        try
        {
            var shippingBus = provider.GetRequiredService<IShippingBus>();
            Assert.Equal("redis", shippingBus.Address.Scheme);
            await shippingBus.Publish(new RedisNote("multibus"));
            var (text, _) = await provider.GetRequiredService<NoteLog>().Redis.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("multibus", text);
        }
        finally
        {
            foreach (var instance in instances)
                await instance.BusControl.StopAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Short_topic_addresses_fan_out_to_the_subscribed_queues()
    {
        await StartHarness(x => x.AddConsumer<InvoiceConsumer>());

        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("topic:" + MessageUrn.ForTypeString(typeof(InvoiceRequested))));
        await endpoint.Send(new InvoiceRequested("via topic"));

        Assert.True(await Harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "via topic"));
    }
}

public class TemporaryEndpointTests : TransportTestBase
{
    [Fact]
    public async Task A_temporary_endpoint_unsubscribes_and_deletes_its_queue_when_it_stops()
    {
        await StartHarness(_ => { });
        var handle = Harness.Bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), DefaultEndpointNameFormatter.Instance,
            e => e.Consumer<InvoiceConsumer>());
        await handle.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        var queueName = handle.ReceiveEndpoint.InputAddress.AbsolutePath.Trim('/');
        await Harness.Bus.Publish(new InvoiceRequested("temporary"));
        Assert.True(await Harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "temporary"));

        await handle.StopAsync(CancellationToken.None);

        var subscribers = await new TopicSubscriptions(Redis.Connection, KeyPrefix).GetSubscribersAsync([MessageUrn.ForTypeString(typeof(InvoiceRequested))]);
        Assert.DoesNotContain(queueName, subscribers);
        var keys = Redis.Connection.GetServers().Single().Keys(pattern: KeyPrefix + "*" + queueName + "*").ToArray();
        Assert.Empty(keys);
    }
}

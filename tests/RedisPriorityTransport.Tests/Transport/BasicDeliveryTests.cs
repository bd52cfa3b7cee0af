using MassTransit;
using MassTransit.Testing;

namespace RedisPriorityTransport.Tests.Transport;

public record PingMessage(string Text);

public interface IAnimalEvent
{
    string Name { get; }
}

public record DogBarked(string Name) : IAnimalEvent;

public sealed class PingConsumer : IConsumer<PingMessage>
{
    public Task Consume(ConsumeContext<PingMessage> context) => Task.CompletedTask;
}

public sealed class AnimalConsumer : IConsumer<IAnimalEvent>
{
    public Task Consume(ConsumeContext<IAnimalEvent> context) => Task.CompletedTask;
}

public class BasicDeliveryTests : TransportTestBase
{
    [Fact]
    public async Task A_message_sent_to_a_queue_is_consumed()
    {
        await StartHarness(x => x.AddConsumer<PingConsumer>());

        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:Ping"));
        await endpoint.Send(new PingMessage("hello"));

        var consumer = Harness.GetConsumerHarness<PingConsumer>();
        Assert.True(await consumer.Consumed.Any<PingMessage>(x => x.Context.Message.Text == "hello"));
    }

    [Fact]
    public async Task A_published_message_reaches_the_subscribed_queue()
    {
        await StartHarness(x => x.AddConsumer<PingConsumer>());

        await Harness.Bus.Publish(new PingMessage("published"));

        var consumer = Harness.GetConsumerHarness<PingConsumer>();
        Assert.True(await consumer.Consumed.Any<PingMessage>(x => x.Context.Message.Text == "published"));
    }

    [Fact]
    public async Task Publishing_a_type_reaches_consumers_of_its_interfaces()
    {
        await StartHarness(x => x.AddConsumer<AnimalConsumer>());

        await Harness.Bus.Publish(new DogBarked("Rex"));

        var consumer = Harness.GetConsumerHarness<AnimalConsumer>();
        Assert.True(await consumer.Consumed.Any<IAnimalEvent>(x => x.Context.Message.Name == "Rex"));
    }

    [Fact]
    public async Task Publishing_a_type_nobody_subscribes_to_is_not_an_error()
    {
        await StartHarness(_ => { });

        await Harness.Bus.Publish(new PingMessage("nobody"));

        Assert.True(await Harness.Published.Any<PingMessage>());
    }
}

using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace RedisPriorityTransport.Tests.Transport;

public class RestartTests : TransportTestBase
{
    [Fact]
    public async Task A_bus_can_be_stopped_and_started_again()
    {
        await StartHarness(x => x.AddConsumer<InvoiceConsumer>());
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:Invoice"));
        await endpoint.Send(new InvoiceRequested("before restart"));
        await Harness.Bus.Publish(new InvoiceRequested("published before restart"));
        Assert.True(await Harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "published before restart"));

        var bus = Services.GetRequiredService<IBusControl>();
        await bus.StopAsync(TimeSpan.FromSeconds(30));
        await bus.StartAsync(TimeSpan.FromSeconds(30));

        await Harness.Bus.Publish(new InvoiceRequested("published after restart"));
        endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:Invoice"));
        await endpoint.Send(new InvoiceRequested("sent after restart"));
        Assert.True(await Harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "published after restart"));
        Assert.True(await Harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "sent after restart"));
    }
}

using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Transport;

public record HeaderProbe(string Text);

/// <summary>Keeps the transport headers each probe was received with.</summary>
public sealed class HeaderProbeLog
{
    public ConcurrentDictionary<string, (Guid? MessageId, Dictionary<string, string> TransportHeaders)> Received { get; } = new();
}

public sealed class HeaderProbeConsumer(HeaderProbeLog log) : IConsumer<HeaderProbe>
{
    public Task Consume(ConsumeContext<HeaderProbe> context)
    {
        var headers = context.ReceiveContext.TransportHeaders.GetAll()
            .ToDictionary(pair => pair.Key, pair => Convert.ToString(pair.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        log.Received[context.Message.Text] = (context.MessageId, headers);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A message's record holds its id and priority, so the transport does not store them again as headers (issue 13:
/// memory per message); a consumer still sees them among the transport headers, with the priority it has now.
/// </summary>
public class StoredHeadersTests : TransportTestBase
{
    [RedisFact]
    public async Task A_sent_message_is_stored_without_the_headers_its_record_holds()
    {
        await StartHarness(_ => { });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:stored-headers"));
        var messageId = NewId.NextGuid();

        await endpoint.Send(new HeaderProbe("stored"), context =>
        {
            context.MessageId = messageId;
            context.SetUrgency(Urgency.High);
            context.SetEventType("alert");
            context.Headers.Set("Tenant", "north");
        });

        await using var queue = Queue("stored-headers");
        var stored = (await queue.ReserveAsync(1, TimeSpan.FromSeconds(30))).Messages.Single();
        Assert.Equal(messageId.ToString(), stored.Id);
        Assert.Equal(new MessagePriority(Urgency.High, "alert"), stored.Priority);
        Assert.Equal("north", stored.Headers["Tenant"]);
        Assert.Equal("application/vnd.masstransit+json", stored.Headers["Content-Type"]);
        Assert.DoesNotContain("MessageId", stored.Headers.Keys);
        Assert.DoesNotContain("Urgency", stored.Headers.Keys);
        Assert.DoesNotContain("EventType", stored.Headers.Keys);
    }

    [RedisFact]
    public async Task A_consumer_sees_the_id_and_the_current_priority_among_the_transport_headers()
    {
        var log = new HeaderProbeLog();
        await StartHarness(x =>
        {
            x.AddSingleton(log);
            x.AddConsumer<HeaderProbeConsumer>();
        });
        var bus = Services.GetRequiredService<IBusControl>();
        await bus.StopAsync(TimeSpan.FromSeconds(30));

        // Sent while nobody consumes, then raised by an operator before it is delivered.
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:HeaderProbe"));
        var messageId = NewId.NextGuid();
        await endpoint.Send(new HeaderProbe("probe"), context =>
        {
            context.MessageId = messageId;
            context.SetUrgency(Urgency.Low);
            context.SetEventType("log");
        });
        await using (var queue = Queue("HeaderProbe"))
            Assert.True(await queue.ChangePriorityAsync(messageId.ToString(), new MessagePriority(Urgency.Critical, "alert")));
        await bus.StartAsync();

        await Eventually.HoldsAsync(() => Task.FromResult(log.Received.ContainsKey("probe")), TimeSpan.FromSeconds(30), "the probe to be consumed");
        var (receivedId, headers) = log.Received["probe"];
        Assert.Equal(messageId, receivedId);
        Assert.Equal(messageId.ToString(), headers["MessageId"]);
        Assert.Equal("10", headers["Urgency"]);
        Assert.Equal("alert", headers["EventType"]);
        Assert.Equal("application/vnd.masstransit+json", headers["Content-Type"]);
    }
}

using System.Net;
using System.Reflection;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Transport;
using StackExchange.Redis;

namespace RedisPriorityTransport.Tests.Transport;

public record Announcement(string Text);

/// <summary>The publish and send edges and the health of an endpoint that cannot reach Redis (issue 14, holes 7 and 9).</summary>
public sealed class TransportEdgeTests : TransportTestBase
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_bus_health_reports_an_endpoint_that_cannot_reach_Redis_and_recovers_after_it_reconnects()
    {
        var port = ConfigurationOptions.Parse(Redis.Configuration).EndPoints.Single() switch
        {
            IPEndPoint ip => ip.Port,
            DnsEndPoint dns => dns.Port,
            var other => throw new InvalidOperationException($"Unexpected endpoint {other}"),
        };
        await using var proxy = LoopbackTcpProxy.Start(port);
        await StartHarness(x => x.AddConsumer<InvoiceConsumer>(),
            (_, cfg) => cfg.Host($"{proxy.Configuration},connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000", h => h.KeyPrefix = KeyPrefix));
        var bus = Services.GetRequiredService<IBusControl>();
        Assert.Equal(BusHealthStatus.Healthy, bus.CheckHealth().Status);

        proxy.Cut();
        await Eventually.HoldsAsync(() => Task.FromResult(bus.CheckHealth().Status != BusHealthStatus.Healthy), Patience,
            "the bus health to report the endpoints that cannot reach Redis");
        var during = bus.CheckHealth();
        Assert.Contains("unreachable", during.Description + string.Join(" ", during.Endpoints.Values.Select(e => e.Description)),
            StringComparison.OrdinalIgnoreCase);

        proxy.Restore();
        await Eventually.HoldsAsync(() => Task.FromResult(bus.CheckHealth().Status == BusHealthStatus.Healthy), Patience,
            "the bus health to be Healthy again after Redis is reachable");
        await Harness.Bus.Publish(new InvoiceRequested("after reconnect"));
        // The wake-up subscription reconnects on a socket of its own, possibly later: allow for that.
        await Eventually.HoldsAsync(() => Task.FromResult(Harness.Consumed.Select<InvoiceRequested>(x => x.Context.Message.OrderId == "after reconnect").Any()),
            Patience, "the message published after the reconnect to be consumed");
    }

    [Fact]
    public async Task A_queue_subscribed_after_a_publish_gets_the_next_publish_even_when_the_change_announcement_is_lost()
    {
        await StartHarness(x => x.AddConsumer<InvoiceConsumer>());
        await Harness.Bus.Publish(new Announcement("nobody listens yet"));
        await Harness.Bus.Publish(new Announcement("nobody listens yet, cached"));

        // Another process subscribes a queue; its announcement on the change channel never arrives (a dropped
        // connection): only the set and its version change.
        var topic = MessageUrn.ForTypeString(typeof(Announcement));
        await Database.SetAddAsync($"{KeyPrefix}{{topic:{topic}}}:subscribers", "late-listener");
        await Database.StringIncrementAsync($"{KeyPrefix}topics:version");

        await Harness.Bus.Publish(new Announcement("for the late listener"));
        var late = Queue("late-listener");
        Assert.Equal(1, (await late.GetCountsAsync()).Ready);
    }

    [Fact]
    public async Task A_deleted_temporary_queue_leaves_the_transport_caches()
    {
        await StartHarness(x => x.AddConsumer<InvoiceConsumer>());
        var handle = Harness.Bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition("reply-probe"), null, e => e.Handler<PingMessage>(_ => Task.CompletedTask));
        await handle.Ready;
        var address = handle.ReceiveEndpoint.InputAddress;
        var queueName = address.AbsolutePath.Trim('/');
        await (await Harness.Bus.GetSendEndpoint(address)).Send(new PingMessage("to the temporary queue"));
        var provider = ProviderOf(Harness.Bus);
        Assert.True(provider.IsQueueCached(queueName), $"Sending to {queueName} did not cache it; the test proves nothing.");

        await handle.StopAsync();

        Assert.False(provider.IsQueueCached(queueName), $"The deleted temporary queue {queueName} is still cached.");
    }

    [Fact]
    public async Task A_header_that_is_not_a_simple_value_travels_as_JSON()
    {
        await StartHarness(x => x.AddConsumer<InvoiceConsumer>());
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:Invoice"));
        await endpoint.Send(new InvoiceRequested("with headers"), context =>
        {
            context.Headers.Set("Tags", new[] { "a", "b" });
            context.Headers.Set("Shape", new { Width = 3, Height = 4 });
        });

        Assert.True(await Harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "with headers"));
        var headers = Harness.Consumed.Select<InvoiceRequested>().Single(x => x.Context.Message.OrderId == "with headers").Context.ReceiveContext.TransportHeaders;
        // The transport headers (what a consumer without MassTransit's envelope, or a raw-JSON consumer, sees).
        Assert.True(headers.TryGetHeader("Tags", out var tags), "The Tags header was dropped.");
        Assert.True(headers.TryGetHeader("Shape", out var shape), "The Shape header was dropped.");
        Assert.Equal("[\"a\",\"b\"]", tags);
        Assert.Equal("{\"Width\":3,\"Height\":4}", shape);
    }

    /// <summary>The bus's transport provider, found through the bus's host configuration.</summary>
    internal static RedisTransportProvider ProviderOf(object bus)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var found = Find(bus, 0);
        return found ?? throw new InvalidOperationException("The bus has no Redis host configuration.");

        RedisTransportProvider? Find(object value, int depth)
        {
            if (value is RedisHostConfiguration host)
                return host.Transport;
            if (depth > 4 || !seen.Add(value))
                return null;
            for (var type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
            {
                foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
                {
                    if (field.FieldType.IsValueType || field.FieldType == typeof(string))
                        continue;
                    if (field.GetValue(value) is { } child && Find(child, depth + 1) is { } result)
                        return result;
                }
            }

            return null;
        }
    }
}

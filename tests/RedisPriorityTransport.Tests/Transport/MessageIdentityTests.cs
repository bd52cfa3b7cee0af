using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Monitoring;
using System.Diagnostics.Metrics;
using MassTransit;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Transport;

public record Identified(string Text);

/// <summary>Counts deliveries per text and the order of starts.</summary>
public sealed class IdentifiedLog
{
    readonly System.Collections.Concurrent.ConcurrentQueue<string> _starts = new();

    public IReadOnlyList<string> Starts => _starts.ToArray();

    public int CountOf(string text) => _starts.Count(s => s == text);

    public void Started(string text) => _starts.Enqueue(text);
}

public sealed class IdentifiedConsumer(IdentifiedLog log) : IConsumer<Identified>
{
    public Task Consume(ConsumeContext<Identified> context)
    {
        log.Started(context.Message.Text);
        return Task.CompletedTask;
    }
}

/// <summary>MessageId is a message's identity in its queue: a second send or publish of a queued id is dropped.</summary>
public class MessageIdentityTests : TransportTestBase
{
    [RedisFact]
    public async Task Two_sends_with_one_MessageId_enqueue_the_message_once_under_that_id_and_the_drop_is_counted()
    {
        await StartHarness(_ => { });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:identity"));
        var messageId = NewId.NextGuid();
        using var duplicates = new DuplicateCounter();

        await endpoint.Send(new Identified("first"), context => context.MessageId = messageId);
        await endpoint.Send(new Identified("retry of the first"), context => context.MessageId = messageId);

        var queue = Queue("identity");
        Assert.Equal(1, (await queue.GetCountsAsync()).Ready);
        var stored = (await queue.ReserveAsync(10, TimeSpan.FromSeconds(30))).Messages.Single();
        Assert.Equal(messageId.ToString(), stored.Id);
        Assert.Contains("\"first\"", System.Text.Encoding.UTF8.GetString(stored.Body));
        Assert.Equal(1, duplicates.CountFor("identity"));
    }

    [RedisFact]
    public async Task A_publish_fans_out_and_dedupes_per_queue()
    {
        await StartHarness(_ => { });
        var registry = new TopicSubscriptions(Redis.Connection, KeyPrefix);
        var topic = MessageUrn.ForTypeString(typeof(Identified));
        await registry.SubscribeAsync(topic, "fan-a");
        await registry.SubscribeAsync(topic, "fan-b");
        var messageId = NewId.NextGuid();
        // fan-a already holds the id (a publish that failed half way, say); fan-b does not.
        var toA = await Harness.Bus.GetSendEndpoint(new Uri("queue:fan-a"));
        await toA.Send(new Identified("earlier"), context => context.MessageId = messageId);

        await Harness.Bus.Publish(new Identified("published"), context => context.MessageId = messageId);
        await Harness.Bus.Publish(new Identified("published again"), context => context.MessageId = messageId);

        var a = Queue("fan-a");
        var b = Queue("fan-b");
        Assert.Equal(1, (await a.GetCountsAsync()).Ready);
        Assert.Equal(1, (await b.GetCountsAsync()).Ready);
        var inB = (await b.ReserveAsync(10, TimeSpan.FromSeconds(30))).Messages.Single();
        Assert.Equal(messageId.ToString(), inB.Id);
        Assert.Contains("\"published\"", System.Text.Encoding.UTF8.GetString(inB.Body));
    }

    [RedisFact]
    public async Task A_resend_while_the_first_is_waiting_is_consumed_once()
    {
        var log = new IdentifiedLog();
        await StartHarness(_ => { });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:consumed-once"));
        var messageId = NewId.NextGuid();
        await endpoint.Send(new Identified("twice"), context => context.MessageId = messageId);
        await endpoint.Send(new Identified("twice"), context => context.MessageId = messageId);
        await endpoint.Send(new Identified("marker"));

        var handle = Harness.Bus.ConnectReceiveEndpoint("consumed-once", e =>
        {
            e.ConcurrentMessageLimit = 1;
            e.Consumer(() => new IdentifiedConsumer(log));
        });
        await handle.Ready.WaitAsync(TimeSpan.FromSeconds(30));

        // One slot, FIFO within the class: once the marker ran, everything sent before it has run.
        await PriorityOrderTests.WaitUntil(() => log.CountOf("marker") == 1, TimeSpan.FromSeconds(30), "the marker is consumed");
        Assert.Equal(["twice", "marker"], log.Starts);
    }

    [RedisFact]
    public Task Without_a_window_a_resend_after_consumption_is_consumed_again() => ResendAfterConsumption(window: null, expectedRuns: 2);

    [RedisFact]
    public Task Within_the_endpoints_DuplicateDetectionWindow_a_resend_after_consumption_is_dropped() =>
        ResendAfterConsumption(window: TimeSpan.FromMinutes(5), expectedRuns: 1);

    [RedisFact]
    public Task Within_the_buses_DuplicateDetectionWindow_a_resend_after_consumption_is_dropped() =>
        ResendAfterConsumption(window: TimeSpan.FromMinutes(5), expectedRuns: 1, busDefault: true);

    async Task ResendAfterConsumption(TimeSpan? window, int expectedRuns, bool busDefault = false)
    {
        var log = new IdentifiedLog();
        await StartHarness(_ => { }, (_, cfg) =>
        {
            if (busDefault)
                cfg.DuplicateDetectionWindow = window;
        });
        var handle = Harness.Bus.ConnectReceiveEndpoint("resent", e =>
        {
            e.ConcurrentMessageLimit = 1;
            if (!busDefault && window is not null)
                ((IRedisReceiveEndpointConfigurator)e).DuplicateDetectionWindow = window;
            e.Consumer(() => new IdentifiedConsumer(log));
        });
        await handle.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:resent"));
        var messageId = NewId.NextGuid();

        await endpoint.Send(new Identified("resent"), context => context.MessageId = messageId);
        await PriorityOrderTests.WaitUntil(() => log.CountOf("resent") == 1, TimeSpan.FromSeconds(30), "the first send is consumed");
        var queue = Queue("resent");
        await Eventually.HoldsAsync(async () => (await queue.GetCountsAsync()).InFlight == 0, TimeSpan.FromSeconds(10), "the first send acknowledged");
        await endpoint.Send(new Identified("resent"), context => context.MessageId = messageId);
        await endpoint.Send(new Identified("marker"));

        await PriorityOrderTests.WaitUntil(() => log.CountOf("marker") == 1, TimeSpan.FromSeconds(30), "the marker is consumed");
        Assert.Equal(expectedRuns, log.CountOf("resent"));
    }

    [RedisFact]
    public async Task Within_the_window_a_resend_of_a_message_an_operator_cancelled_is_dropped()
    {
        await StartHarness(_ => { });
        var log = new IdentifiedLog();
        var handle = Harness.Bus.ConnectReceiveEndpoint("cancelled", e =>
        {
            ((IRedisReceiveEndpointConfigurator)e).DuplicateDetectionWindow = TimeSpan.FromMinutes(5);
            e.Consumer(() => new IdentifiedConsumer(log));
        });
        // Started once, the endpoint has recorded its window where the admin's cancel reads it; stopped, it lets the send wait.
        await handle.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        await handle.StopAsync();
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:cancelled"));
        var messageId = NewId.NextGuid();
        await endpoint.Send(new Identified("cancelled"), context => context.MessageId = messageId);

        var admin = Services.GetRequiredService<IPriorityQueueAdmin>();
        await admin.CancelAsync("cancelled", messageId.ToString(), "ops", "sent by mistake");
        using var duplicates = new DuplicateCounter();
        await endpoint.Send(new Identified("cancelled"), context => context.MessageId = messageId);

        var queue = Queue("cancelled");
        Assert.Equal(0, (await queue.GetCountsAsync()).Ready);
        Assert.Equal(1, duplicates.CountFor("cancelled"));
    }

    [RedisFact]
    public async Task A_window_that_is_not_positive_is_refused()
    {
        await StartHarness(_ => { });
        var exception = Assert.ThrowsAny<Exception>(() => Harness.Bus.ConnectReceiveEndpoint("bad-window",
            e => ((IRedisReceiveEndpointConfigurator)e).DuplicateDetectionWindow = TimeSpan.Zero));
        Assert.Contains("DuplicateDetectionWindow", exception.ToString());
    }

    /// <summary>Listens to the transport's duplicate counter.</summary>
    sealed class DuplicateCounter : IDisposable
    {
        readonly MeterListener _listener = new();
        readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _byQueue = new();

        public DuplicateCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == TransportMetrics.MeterName && instrument.Name == TransportMetrics.DuplicatesDroppedName)
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == TransportMetrics.QueueAttribute && tag.Value is string queue)
                        _byQueue.AddOrUpdate(queue, value, (_, n) => n + value);
                }
            });
            _listener.Start();
        }

        public long CountFor(string queue) => _byQueue.TryGetValue(queue, out var n) ? n : 0;

        public void Dispose() => _listener.Dispose();
    }
}

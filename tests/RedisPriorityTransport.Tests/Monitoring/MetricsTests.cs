using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Monitoring;
using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Transport;
using StackExchange.Redis;
using static RedisPriorityTransport.Tests.Monitoring.MetricsCollector;

namespace RedisPriorityTransport.Tests.Monitoring;

/// <summary>
/// The transport's meter read the way an application exports it (OpenTelemetry SDK, in-memory exporter): the values of
/// the depth gauges, the wait histogram and the counters after known traffic on a real Redis.
/// </summary>
public class MetricsTests : TransportTestBase
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // Queue names are the metrics' attribute and are not prefixed: unique per test, apart from other tests' queues.
    readonly string _queueName = "metered-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Gauges_histogram_and_counters_report_what_happened_on_the_queue()
    {
        using var metrics = new MetricsCollector();
        var gate = new JobGate();
        await StartHarness(x => x.AddSingleton(gate), (context, cfg) => cfg.ReceiveEndpoint(_queueName, e =>
        {
            e.ConcurrentMessageLimit = 1;
            e.MaxDeliveryCount = 1;
            e.Consumer(() => new MeteredJobConsumer(gate));
        }));
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri($"queue:{_queueName}"));

        // One normal job holds the only slot, so what follows waits in the queue.
        await endpoint.Send(new MeteredJob("blocker", Hold: true), c => c.SetUrgency(Urgency.Normal));
        await PriorityOrderTests.WaitUntil(() => gate.Started.ContainsKey("blocker"), Patience, "the blocker started");

        // A message whose lease expires on its only allowed delivery: reserved here and never settled.
        var raw = Queue(_queueName);
        await raw.EnqueueAsync(new QueueMessage("orphan", "not an envelope"u8.ToArray()));
        var orphan = Assert.Single((await raw.ReserveAsync(1, TimeSpan.FromMilliseconds(100))).Messages);
        await Eventually.HoldsAsync(async () => await RedisNowAsync() > orphan.LeaseExpiresAt, Patience, "the orphan's lease expired");

        for (var i = 0; i < 3; i++)
            await endpoint.Send(new MeteredJob($"high-{i}"), c => c.SetUrgency(Urgency.Urgent));
        for (var i = 0; i < 5; i++)
            await endpoint.Send(new MeteredJob($"low-{i}"), c => c.SetUrgency(Urgency.Background));
        // Every job below was enqueued before this point, and none can start before the gate opens.
        var sent = Stopwatch.StartNew();

        IReadOnlyList<OpenTelemetry.Metrics.MetricSnapshot> collected = [];
        await Eventually.HoldsAsync(() =>
        {
            collected = metrics.Collect();
            return Task.FromResult(Gauge(collected, TransportMetrics.MessagesName, _queueName, Ready("high")) == 3
                && Gauge(collected, TransportMetrics.MessagesName, _queueName, Ready("low")) == 5);
        }, Patience, "the ready gauges show 3 high and 5 low");
        Assert.Equal(0, Gauge(collected, TransportMetrics.MessagesName, _queueName, Ready("normal")));
        Assert.Equal(2, Gauge(collected, TransportMetrics.MessagesName, _queueName, State("in_flight")));
        Assert.Equal(0, Gauge(collected, TransportMetrics.MessagesName, _queueName, State("delayed")));
        Assert.Equal(0, Gauge(collected, TransportMetrics.MessagesName, _queueName, State("error")));
        Assert.Equal(0, Gauge(collected, TransportMetrics.MessagesName, _queueName, State("skipped")));
        Assert.True(GaugeDouble(collected, TransportMetrics.OldestAgeName, _queueName, Band("high")) > 0);
        Assert.True(GaugeDouble(collected, TransportMetrics.OldestAgeName, _queueName, Band("low")) > 0);
        Assert.Equal(0, GaugeDouble(collected, TransportMetrics.OldestAgeName, _queueName, Band("normal")));

        // Let the queued jobs wait a known time, then open the gate.
        await Eventually.HoldsAsync(() => Task.FromResult(sent.Elapsed > TimeSpan.FromMilliseconds(300)), Patience, "300 ms passed");
        var heldFor = sent.Elapsed;
        gate.Open();
        await PriorityOrderTests.WaitUntil(() => gate.Finished.Count == 9, Patience, "all nine jobs finished");

        await endpoint.Send(new MeteredJob("poison", Fail: true));
        await endpoint.Send(new UnconsumedJob("stray"));

        await Eventually.HoldsAsync(() =>
        {
            collected = metrics.Collect();
            return Task.FromResult(Counter(collected, TransportMetrics.DeadLetteredName, _queueName, Reason("error")) == 1
                && Counter(collected, TransportMetrics.DeadLetteredName, _queueName, Reason("skipped")) == 1
                && Gauge(collected, TransportMetrics.MessagesName, _queueName, State("error")) == 2
                && Gauge(collected, TransportMetrics.MessagesName, _queueName, State("skipped")) == 1);
        }, Patience, "the fault and the stray message were dead-lettered and counted");

        Assert.Equal(1, Counter(collected, TransportMetrics.LeasesExpiredName, _queueName));
        Assert.Equal(1, Counter(collected, TransportMetrics.DeadLetteredName, _queueName, Reason("max_deliveries")));
        Assert.Equal(0, Gauge(collected, TransportMetrics.MessagesName, _queueName, State("in_flight")));
        Assert.Equal(0, Gauge(collected, TransportMetrics.MessagesName, _queueName, Ready("high")));

        var high = Histogram(collected, TransportMetrics.WaitDurationName, _queueName, Band("high"));
        var normal = Histogram(collected, TransportMetrics.WaitDurationName, _queueName, Band("normal"));
        var low = Histogram(collected, TransportMetrics.WaitDurationName, _queueName, Band("low"));
        Assert.Equal(3, high.Count);
        Assert.Equal(3, normal.Count); // the blocker, the poison job and the stray message (the transport started it too)
        Assert.Equal(5, low.Count);
        // Every queued job waited at least while the gate was closed (by Redis's clock, which counts whole milliseconds).
        var floor = (heldFor - TimeSpan.FromMilliseconds(5)).TotalSeconds;
        Assert.True(high.Sum >= 3 * floor, $"3 high jobs waited {high.Sum:0.###} s in all; each was held about {heldFor.TotalSeconds:0.###} s.");
        Assert.True(low.Sum >= 5 * floor, $"5 low jobs waited {low.Sum:0.###} s in all; each was held about {heldFor.TotalSeconds:0.###} s.");
    }

    [Fact]
    public async Task A_collection_reads_each_queue_once_however_many_instruments_ask()
    {
        using var metrics = new MetricsCollector();
        await StartHarness(x => x.AddSingleton(new JobGate()), (context, cfg) => cfg.ReceiveEndpoint(_queueName,
            e => e.Consumer(() => new MeteredJobConsumer(new JobGate()))));
        await Eventually.HoldsAsync(() => Task.FromResult(Gauge(metrics.Collect(), TransportMetrics.MessagesName, _queueName, Ready("high")) == 0),
            Patience, "the queue is reported");
        var monitored = Assert.Single(QueueDepthMonitor.Find(KeyPrefix, _queueName));

        var before = monitored.Reads;
        var clock = Stopwatch.StartNew();
        const int collections = 20;
        for (var i = 0; i < collections; i++)
            Assert.NotNull(Gauge(metrics.Collect(), TransportMetrics.MessagesName, _queueName, Ready("low")));
        var reads = monitored.Reads - before;

        // Two observable instruments times 20 collections asked 40 times; Redis was read at most once per snapshot age.
        var allowed = 1 + (long)(clock.Elapsed / QueueDepthMonitor.SnapshotMaxAge);
        Assert.True(reads <= allowed, $"{collections} collections in {clock.Elapsed.TotalMilliseconds:0} ms read the queue {reads} times; at most {allowed} allowed.");
    }

    [Fact]
    public async Task Duplicate_and_admin_action_counters_count_what_the_transport_and_the_admin_API_did()
    {
        using var metrics = new MetricsCollector();
        // No consumer on the queue: what is sent stays waiting, so a resend of its MessageId is a duplicate.
        await StartHarness(_ => { });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri($"queue:{_queueName}"));
        var messageId = NewId.NextGuid();
        for (var i = 0; i < 4; i++)
            await endpoint.Send(new MeteredJob("twice"), c => c.MessageId = messageId);

        var admin = Services.GetRequiredService<IPriorityQueueAdmin>();
        await admin.ChangePriorityAsync(_queueName, messageId.ToString(), Urgency.Critical, "ops", "metrics test");
        await admin.PauseAsync(_queueName, "ops");
        await admin.PauseAsync(_queueName, "ops");
        // Refused (the message is not in the error queue): nothing moved, nothing counted.
        await admin.RedriveAsync(_queueName, DeadLetterQueue.Error, [messageId.ToString()], "ops");

        var collected = metrics.Collect();
        Assert.Equal(3, Counter(collected, TransportMetrics.DuplicatesDroppedName, _queueName));
        Assert.Equal(1, Counter(collected, TransportMetrics.AdminActionsName, _queueName, (TransportMetrics.ActionAttribute, "change_priority")));
        Assert.Equal(2, Counter(collected, TransportMetrics.AdminActionsName, _queueName, (TransportMetrics.ActionAttribute, "pause")));
        Assert.Equal(0, Counter(collected, TransportMetrics.AdminActionsName, _queueName, (TransportMetrics.ActionAttribute, "redrive")));
    }

    async Task<DateTimeOffset> RedisNowAsync()
    {
        var time = (RedisResult[])(await Database.ExecuteAsync("TIME"))!;
        return DateTimeOffset.FromUnixTimeMilliseconds((long)time[0] * 1000 + (long)time[1] / 1000);
    }

    static (string, string) State(string state) => (TransportMetrics.StateAttribute, state);

    static (string, string)[] Ready(string band) => [State("ready"), Band(band)];

    static (string, string) Band(string band) => (TransportMetrics.BandAttribute, band);

    static (string, string) Reason(string reason) => (TransportMetrics.ReasonAttribute, reason);
}

using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Transport;

public record RankedEvent(string Name, [property: Urgency] int Urgency, [property: EventType] string? Kind);

/// <summary>Records the order in which handlers start, with what the transport says about each message.</summary>
public sealed class StartRecorder
{
    readonly ConcurrentQueue<Started> _started = new();
    int _count;

    public record Started(string Name, int Urgency, string? Kind, long Sequence, int Position);

    public IReadOnlyList<Started> All => _started.ToArray();

    public int Count => Volatile.Read(ref _count);

    public void Record(ConsumeContext<RankedEvent> context)
    {
        var sequence = context.TryGetPayload<ITransportSequenceNumber>(out var number) ? (long)number.SequenceNumber!.Value : -1;
        var position = Interlocked.Increment(ref _count) - 1;
        _started.Enqueue(new Started(context.Message.Name, context.Message.Urgency, context.Message.Kind, sequence, position));
    }
}

public sealed class RecordingConsumer(StartRecorder recorder) : IConsumer<RankedEvent>
{
    public async Task Consume(ConsumeContext<RankedEvent> context)
    {
        recorder.Record(context);
        if (context.Headers.Get<string>("Work-Ms") is { } work)
            await Task.Delay(int.Parse(work));
    }
}

public class PriorityOrderTests : TransportTestBase
{
    public PriorityOrderTests()
    {
    }

    protected PriorityOrderTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    static readonly EventTypeRanking Ranking = new(["alert", "transaction", "log"]);

    [RedisFact]
    public async Task Published_events_are_consumed_by_urgency_then_event_type_rank()
    {
        var recorder = new StartRecorder();
        await StartHarness(x => x.AddSingleton(recorder));
        // The consumer's queue is subscribed (as a previous run of the application would have left it) but not running yet.
        await new TopicSubscriptions(Redis.Connection, KeyPrefix).SubscribeAsync(MessageUrn.ForTypeString(typeof(RankedEvent)), "ranked");

        await Harness.Bus.Publish(new RankedEvent("evt1", 3, "transaction"));
        await Harness.Bus.Publish(new RankedEvent("evt2", 3, "alert"));
        await Harness.Bus.Publish(new RankedEvent("evt3", 5, "log"));
        await Harness.Bus.Publish(new RankedEvent("evt4", 5, "transaction"));

        var handle = Harness.Bus.ConnectReceiveEndpoint("ranked", e =>
        {
            e.ConcurrentMessageLimit = 1;
            e.Consumer(() => new RecordingConsumer(recorder));
        });
        await handle.Ready.WaitAsync(TimeSpan.FromSeconds(30));

        await WaitUntil(() => recorder.Count == 4, TimeSpan.FromSeconds(30), "four events consumed");
        Assert.Equal(["evt4", "evt3", "evt2", "evt1"], recorder.All.Select(s => s.Name));
    }

    [RedisFact]
    public Task Random_messages_start_in_reference_order_one_at_a_time() => Random_messages_start_in_reference_order(1, 10_000);

    [RedisFact]
    public Task Random_messages_start_in_reference_order_sixteen_at_a_time() => Random_messages_start_in_reference_order(16, 10_000);

    async Task Random_messages_start_in_reference_order(int concurrency, int count)
    {
        var recorder = new StartRecorder();
        await StartHarness(x => x.AddSingleton(recorder));
        var random = new Random(concurrency * 7919 + count);
        string?[] kinds = ["alert", "transaction", "log", null, "unranked"];
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:random"));
        // Sent one after another, so the send order is known here and the reference is built from it, not from the
        // transport's own sequence numbers (which would hide a FIFO bug).
        var sent = Enumerable.Range(0, count).Select(i => new RankedEvent($"m{i}", random.Next(0, 11), kinds[random.Next(kinds.Length)])).ToArray();
        foreach (var message in sent)
            await endpoint.Send(message);

        var handle = Harness.Bus.ConnectReceiveEndpoint("random", e =>
        {
            e.ConcurrentMessageLimit = concurrency;
            e.Consumer(() => new RecordingConsumer(recorder));
        });
        await handle.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntil(() => recorder.Count == count, TimeSpan.FromSeconds(180), $"{count} messages consumed");

        var started = recorder.All.OrderBy(s => s.Position).ToArray();
        var reference = sent.Select((m, sendIndex) => (m, sendIndex))
            .OrderByDescending(x => x.m.Urgency).ThenBy(x => Ranking.RankOf(x.m.Kind)).ThenBy(x => x.sendIndex)
            .Select((x, index) => (x.m.Name, index)).ToDictionary(p => p.Name, p => p.index);
        Assert.Equal(count, reference.Count);
        if (concurrency == 1)
        {
            Assert.Equal(reference.OrderBy(p => p.Value).Select(p => p.Key), started.Select(s => s.Name));
        }
        else
        {
            var worst = started.Max(s => Math.Abs(s.Position - reference[s.Name]));
            Assert.True(worst <= concurrency, $"A handler started {worst} places away from its reference position; at most {concurrency} allowed.");
        }
    }

    [RedisFact]
    public async Task An_urgent_message_behind_a_large_backlog_starts_within_the_concurrency_limit()
    {
        const int limit = 4;
        const int backlog = 20_000;
        var recorder = new StartRecorder();
        await StartHarness(x => x.AddSingleton(recorder));
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:backlog"));
        await SendAll(Enumerable.Range(0, backlog).Select(i => new RankedEvent($"b{i}", 5, "log")), endpoint,
            context => context.Headers.Set("Work-Ms", "2"));

        var handle = Harness.Bus.ConnectReceiveEndpoint("backlog", e =>
        {
            e.ConcurrentMessageLimit = limit;
            e.Consumer(() => new RecordingConsumer(recorder));
        });
        await handle.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntil(() => recorder.Count >= 20, TimeSpan.FromSeconds(30), "the backlog is being consumed");

        var startsBeforeUrgent = recorder.Count;
        await endpoint.Send(new RankedEvent("urgent", 10, "alert"));
        await WaitUntil(() => recorder.All.Any(s => s.Name == "urgent"), TimeSpan.FromSeconds(30), "the urgent message started");

        var urgent = recorder.All.Single(s => s.Name == "urgent");
        Assert.True(urgent.Position - startsBeforeUrgent <= limit,
            $"The urgent message started {urgent.Position - startsBeforeUrgent} handler starts after it was sent; at most {limit} allowed.");
        await handle.StopAsync(CancellationToken.None);
    }

    static async Task SendAll(IEnumerable<RankedEvent> messages, ISendEndpoint endpoint, Action<SendContext>? configure = null)
    {
        foreach (var chunk in messages.Chunk(500))
            await Task.WhenAll(chunk.Select(m => endpoint.Send(m, context => configure?.Invoke(context))));
    }

    internal static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting until {what}.");
            await Task.Delay(20);
        }
    }
}

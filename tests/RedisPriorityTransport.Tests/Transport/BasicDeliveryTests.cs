using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

using RedisPriorityTransport.Tests.Infrastructure;

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
    public BasicDeliveryTests()
    {
    }

    protected BasicDeliveryTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    [RedisFact]
    public async Task A_message_sent_to_a_queue_is_consumed()
    {
        await StartHarness(x => x.AddConsumer<PingConsumer>());

        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:Ping"));
        await endpoint.Send(new PingMessage("hello"));

        var consumer = Harness.GetConsumerHarness<PingConsumer>();
        Assert.True(await consumer.Consumed.Any<PingMessage>(x => x.Context.Message.Text == "hello"));
    }

    [RedisFact]
    public async Task A_published_message_reaches_the_subscribed_queue()
    {
        await StartHarness(x => x.AddConsumer<PingConsumer>());

        await Harness.Bus.Publish(new PingMessage("published"));

        var consumer = Harness.GetConsumerHarness<PingConsumer>();
        Assert.True(await consumer.Consumed.Any<PingMessage>(x => x.Context.Message.Text == "published"));
    }

    [RedisFact]
    public async Task Publishing_a_type_reaches_consumers_of_its_interfaces()
    {
        await StartHarness(x => x.AddConsumer<AnimalConsumer>());

        await Harness.Bus.Publish(new DogBarked("Rex"));

        var consumer = Harness.GetConsumerHarness<AnimalConsumer>();
        Assert.True(await consumer.Consumed.Any<IAnimalEvent>(x => x.Context.Message.Name == "Rex"));
    }

    [RedisFact]
    public async Task Publishing_a_type_nobody_subscribes_to_is_not_an_error_and_writes_nothing()
    {
        await StartHarness(_ => { });

        await Harness.Bus.Publish(new PingMessage("nobody"));

        Assert.True(await Harness.Published.Any<PingMessage>());
        // Nothing was written: no queue of this bus holds a message (Redis keeps no empty hash or sorted set, so a
        // message anywhere leaves a key).
        var written = Redis.Connection.GetServers().SelectMany(server => server.Keys(pattern: KeyPrefix + "*"))
            .Select(key => (string)key!)
            .Where(key => key.EndsWith(":messages", StringComparison.Ordinal) || key.EndsWith(":ready", StringComparison.Ordinal)
                || key.EndsWith(":delayed", StringComparison.Ordinal))
            .ToArray();
        Assert.Empty(written);
    }
}

public record Nudge(int Number);

public sealed class NudgeConsumer(NudgeLog log) : IConsumer<Nudge>
{
    public Task Consume(ConsumeContext<Nudge> context)
    {
        log.Arrived(context.Message.Number);
        return Task.CompletedTask;
    }
}

public sealed class NudgeLog
{
    readonly System.Collections.Concurrent.ConcurrentDictionary<int, TaskCompletionSource> _arrivals = new();

    public Task ArrivalOf(int number) => _arrivals.GetOrAdd(number, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Arrived(int number) => _arrivals.GetOrAdd(number, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

public record HeldNudge(int Number);

/// <summary>Released by the test; until then <see cref="HeldNudgeConsumer"/> holds message 0.</summary>
public sealed class NudgeGate
{
    readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Released => _released.Task;

    public void Release() => _released.TrySetResult();
}

/// <summary>Holds the first message (number 0) until the test opens the gate; the others pass straight through.</summary>
public sealed class HeldNudgeConsumer(NudgeLog log, NudgeGate gate) : IConsumer<HeldNudge>
{
    public async Task Consume(ConsumeContext<HeldNudge> context)
    {
        log.Arrived(context.Message.Number);
        if (context.Message.Number == 0)
            await gate.Released;
    }
}

public class WakeUpTests : TransportTestBase
{
    /// <summary>
    /// Starts the bus with the fallback poll at an hour, so that within a test a message reaches a waiting consumer only
    /// through a wake-up or the receive loop's own short wait. Returns the log its consumers write arrivals to.
    /// </summary>
    async Task<NudgeLog> StartWithHourlyFallbackPoll(Action<IBusRegistrationConfigurator> consumers)
    {
        var log = new NudgeLog();
        await StartHarness(x =>
        {
            x.AddSingleton(log);
            consumers(x);
        }, (_, cfg) => cfg.Host(Redis.Configuration, h =>
        {
            h.KeyPrefix = KeyPrefix;
            ((RedisPriorityTransport.Transport.RedisHostSettings)h).FallbackPollInterval = TimeSpan.FromHours(1);
        }));
        return log;
    }

    [Fact]
    public async Task A_consumer_whose_reserve_handed_out_only_an_unreadable_record_is_still_woken_by_the_next_message()
    {
        var log = await StartWithHourlyFallbackPoll(x => x.AddConsumer<NudgeConsumer>());
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:Nudge"));
        var queue = Queue("Nudge");
        var keys = new QueueKeys(KeyPrefix, "Nudge");
        await endpoint.Send(new Nudge(0));
        await log.ArrivalOf(0).WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(async () => await queue.GetCountsAsync() is { Ready: 0, InFlight: 0 }, TimeSpan.FromSeconds(30),
            "the consumer to be idle");

        // A record no reader understands, and a wake-up for it: the reserve hands it out (the script counts it among the
        // messages it reserved), the consumer moves it to the skipped queue and has nothing running.
        await Database.HashSetAsync(keys.Messages, "foreign", "payload");
        await Database.SortedSetAddAsync(keys.Ready, "foreign", 0);
        await Database.PublishAsync(StackExchange.Redis.RedisChannel.Literal(keys.WakeChannel), "w");
        var skipped = Queue(queue.SkippedQueueName);
        await Eventually.HoldsAsync(async () => await skipped.GetCountsAsync() is { Ready: 1 }, TimeSpan.FromSeconds(30),
            "the unreadable record to reach the skipped queue");

        // The consumer must come back within its short wait and register as idle, or this send would not wake it.
        await endpoint.Send(new Nudge(1));
        await log.ArrivalOf(1).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_consumer_with_a_message_running_and_free_slots_takes_new_messages_without_the_fallback_poll()
    {
        // While a message runs, enqueues may leave the wake-up out (the loop registered as coming back within its short
        // wait); with the fallback poll at an hour, a loop that slept past that wait would miss the new messages.
        var gate = new NudgeGate();
        var log = await StartWithHourlyFallbackPoll(x =>
        {
            x.AddSingleton(gate);
            x.AddConsumer<HeldNudgeConsumer>().Endpoint(e => e.ConcurrentMessageLimit = 4);
        });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:HeldNudge"));
        try
        {
            await endpoint.Send(new HeldNudge(0));
            await log.ArrivalOf(0).WaitAsync(TimeSpan.FromSeconds(30));
            // Sent one after another while message 0 runs: each finds the loop at another point of its waits.
            for (var i = 1; i <= 20; i++)
            {
                await endpoint.Send(new HeldNudge(i));
                await log.ArrivalOf(i).WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        finally
        {
            gate.Release();
        }
    }

    [Fact]
    public async Task An_idle_consumer_is_woken_by_a_new_message_instead_of_waiting_for_the_fallback_poll()
    {
        // The fallback poll is an hour: a message can reach an idle consumer within the test only through a wake-up.
        var log = await StartWithHourlyFallbackPoll(x => x.AddConsumer<NudgeConsumer>());
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:Nudge"));
        var queue = Queue("Nudge");

        for (var i = 0; i < 5; i++)
        {
            // Idle: the previous message is acknowledged, and the acknowledgement travels with the loop's last reserve,
            // so nothing but a wake-up makes it reserve again.
            await Eventually.HoldsAsync(async () => await queue.GetCountsAsync() is { Ready: 0, InFlight: 0 }, TimeSpan.FromSeconds(30),
                "the consumer to be idle");
            await endpoint.Send(new Nudge(i));
            await log.ArrivalOf(i).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}

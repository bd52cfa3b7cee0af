using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Transport;

public record FailingCommand(string Id, int FailTimes);

public record UnhandledCommand(string Id);

/// <summary>Counts attempts per message id; fails while the count is below what the message asks.</summary>
public sealed class AttemptCounter
{
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _attempts = new();

    public int Attempt(string id) => _attempts.AddOrUpdate(id, 1, (_, n) => n + 1);

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, ConsumeContext> _succeeded = new();

    public int AttemptsOf(string id) => _attempts.TryGetValue(id, out var n) ? n : 0;

    public void Success(string id, ConsumeContext context) => _succeeded[id] = context;

    public bool Succeeded(string id) => _succeeded.ContainsKey(id);

    public ConsumeContext SuccessOf(string id) => _succeeded[id];
}

public sealed class FailingConsumer(AttemptCounter counter) : IConsumer<FailingCommand>
{
    public Task Consume(ConsumeContext<FailingCommand> context)
    {
        var attempt = counter.Attempt(context.Message.Id);
        if (attempt <= context.Message.FailTimes)
            throw new InvalidOperationException($"Attempt {attempt} of {context.Message.Id} fails on purpose.");
        counter.Success(context.Message.Id, context);
        return Task.CompletedTask;
    }
}

public class FaultTests : TransportTestBase
{
    public FaultTests()
    {
    }

    protected FaultTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    [RedisFact]
    public async Task Retry_consumes_a_message_that_fails_twice()
    {
        var counter = new AttemptCounter();
        await StartHarness(x =>
        {
            x.AddSingleton(counter);
            x.AddConsumer<FailingConsumer>(c => c.UseMessageRetry(r => r.Immediate(3)));
        });

        await Harness.Bus.Publish(new FailingCommand("retry-1", 2));

        await PriorityOrderTests.WaitUntil(() => counter.AttemptsOf("retry-1") == 3, TimeSpan.FromSeconds(30), "three attempts");
        await PriorityOrderTests.WaitUntil(() => counter.Succeeded("retry-1"), TimeSpan.FromSeconds(30), "the third attempt succeeded");
        Assert.False(await Harness.Published.Any<Fault<FailingCommand>>());
    }

    [RedisFact]
    public async Task A_message_that_keeps_failing_moves_to_the_error_queue_with_fault_headers_and_its_priority()
    {
        var counter = new AttemptCounter();
        await StartHarness(x =>
        {
            x.AddSingleton(counter);
            x.AddConsumer<FailingConsumer>(c => c.UseMessageRetry(r => r.Immediate(1)));
        });

        await Harness.Bus.Publish(new FailingCommand("error-1", int.MaxValue), context =>
        {
            context.SetUrgency(Urgency.Critical);
            context.SetEventType("alert");
        });

        Assert.True(await Harness.Published.Any<Fault<FailingCommand>>(x => x.Context.Message.Message.Id == "error-1"));
        var fault = Harness.Published.Select<Fault<FailingCommand>>().First().Context;
        Assert.Equal("10", fault.Headers.Get<string>("Urgency"));
        Assert.Equal("alert", fault.Headers.Get<string>("EventType"));
        await using var errorQueue = Queue("Failing_error");
        await PriorityOrderTests.WaitUntil(() => errorQueue.GetCountsAsync().Result.Ready == 1, TimeSpan.FromSeconds(30), "the message is in the error queue");

        var reserved = (await errorQueue.ReserveAsync(1, TimeSpan.FromSeconds(30))).Messages.Single();
        Assert.Equal(new MessagePriority(Urgency.Critical, "alert"), reserved.Priority);
        Assert.Contains("System.InvalidOperationException", reserved.Headers["MT-Fault-ExceptionType"]);
        Assert.Contains("fails on purpose", reserved.Headers["MT-Fault-Message"]);
        Assert.Equal("fault", reserved.Headers["MT-Reason"]);
        // The priority is the record's, not a stored copy of the Urgency header (the receive side derives that header).
        Assert.False(reserved.Headers.ContainsKey("Urgency"), "The Urgency header was stored again with the faulted message.");
        Assert.Equal(2, counter.AttemptsOf("error-1"));
        await using var queue = Queue("Failing");
        Assert.Equal(0, (await queue.GetCountsAsync()).Ready + (await queue.GetCountsAsync()).InFlight);
    }

    [RedisFact]
    public async Task A_message_no_consumer_handles_moves_to_the_skipped_queue()
    {
        await StartHarness(x => x.AddConsumer<FailingConsumer>(), inactivity: TimeSpan.FromSeconds(2));

        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:Failing"));
        await endpoint.Send(new UnhandledCommand("nobody"), context => context.SetUrgency(Urgency.High));

        await using var skipped = Queue("Failing_skipped");
        await PriorityOrderTests.WaitUntil(() => skipped.GetCountsAsync().Result.Ready == 1, TimeSpan.FromSeconds(30), "the message is in the skipped queue");
        var reserved = (await skipped.ReserveAsync(1, TimeSpan.FromSeconds(30))).Messages.Single();
        Assert.Equal(Urgency.High, reserved.Priority.Urgency);
        Assert.Equal("dead-letter", reserved.Headers["MT-Reason"]);
    }

    [RedisFact]
    public async Task Delayed_redelivery_delivers_the_message_again_later()
    {
        var counter = new AttemptCounter();
        await StartHarness(x =>
        {
            x.AddSingleton(counter);
            x.AddConsumer<FailingConsumer>(c => c.UseDelayedRedelivery(r => r.Intervals(TimeSpan.FromMilliseconds(500))));
        });

        var started = DateTime.UtcNow;
        await Harness.Bus.Publish(new FailingCommand("redeliver-1", 1), context => context.SetUrgency(Urgency.High));

        await PriorityOrderTests.WaitUntil(() => counter.Succeeded("redeliver-1"), TimeSpan.FromSeconds(30), "the redelivered message succeeded");
        Assert.Equal(2, counter.AttemptsOf("redeliver-1"));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(450), "The redelivery came before its delay.");
        var redelivered = counter.SuccessOf("redeliver-1");
        Assert.Equal(1, redelivered.GetRedeliveryCount());
        Assert.Equal("7", redelivered.Headers.Get<string>("Urgency"));
        Assert.True(redelivered.TryGetPayload<RedisMessageContext>(out var redis));
        Assert.Equal(Urgency.High, redis.Priority.Urgency);
    }

    [RedisFact]
    public async Task Delayed_redelivery_stops_at_its_limit_and_the_message_goes_to_the_error_queue()
    {
        var counter = new AttemptCounter();
        await StartHarness(x =>
        {
            x.AddSingleton(counter);
            x.AddConsumer<FailingConsumer>(c => c.UseDelayedRedelivery(r => r.Intervals(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100))));
        });

        await Harness.Bus.Publish(new FailingCommand("redeliver-limit", 10));

        await using var errorQueue = Queue("Failing_error");
        await PriorityOrderTests.WaitUntil(() => errorQueue.GetCountsAsync().Result.Ready == 1, TimeSpan.FromSeconds(30),
            "the message to reach the error queue");
        // The first delivery and two redeliveries, then the fault: the redelivery count stored with the message counted.
        Assert.Equal(3, counter.AttemptsOf("redeliver-limit"));
        var faulted = (await errorQueue.ReserveAsync(1, TimeSpan.FromSeconds(30))).Messages.Single();
        Assert.Equal("2", faulted.Headers["MT-Redelivery-Count"]);
        Assert.Equal("fault", faulted.Headers["MT-Reason"]);
        await using var queue = Queue("Failing");
        Assert.Equal(0, (await queue.GetCountsAsync()).Delayed);
    }
}

public record DeferredJob(string Id);

public sealed class DeferringConsumer(AttemptCounter counter, ConcurrentQueue<string> transportIds) : IConsumer<DeferredJob>
{
    public async Task Consume(ConsumeContext<DeferredJob> context)
    {
        transportIds.Enqueue(context.GetPayload<RedisMessageContext>().TransportMessageId);
        if (counter.Attempt(context.Message.Id) == 1)
        {
            // MassTransit.RabbitMQ's Defer (this library no longer has one that would clash with it): it sends the
            // message to its own queue under its own id, which the transport turns into a redelivery in place.
            await context.Defer(TimeSpan.FromMilliseconds(500));
            return;
        }

        counter.Success(context.Message.Id, context);
    }
}

public class DeferTests : TransportTestBase
{
    public DeferTests()
    {
    }

    protected DeferTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    [RedisFact]
    public async Task A_deferred_message_comes_back_after_the_delay_with_its_priority()
    {
        var counter = new AttemptCounter();
        var transportIds = new ConcurrentQueue<string>();
        await StartHarness(x =>
        {
            x.AddSingleton(counter);
            x.AddSingleton(transportIds);
            x.AddConsumer<DeferringConsumer>();
        });

        var sent = DateTime.UtcNow;
        await Harness.Bus.Publish(new DeferredJob("d-1"), context => context.SetUrgency(Urgency.Prioritize));

        await PriorityOrderTests.WaitUntil(() => counter.Succeeded("d-1"), TimeSpan.FromSeconds(30), "the deferred message came back");
        Assert.True(DateTime.UtcNow - sent >= TimeSpan.FromMilliseconds(450), "The deferred message came back before its delay.");
        var second = counter.SuccessOf("d-1");
        Assert.Equal(1, second.GetRedeliveryCount());
        Assert.True(second.TryGetPayload<RedisMessageContext>(out var redis));
        Assert.Equal(Urgency.Prioritize, redis.Priority.Urgency);
        // The same record came back (no copy under a new id), and only it.
        Assert.Equal([second.MessageId.ToString()!, second.MessageId.ToString()!], transportIds);
        var queue = Queue("Deferring");
        await Eventually.HoldsAsync(async () => await Database.HashLengthAsync(KeyPrefix + "{Deferring}:Deferring:messages") == 0,
            TimeSpan.FromSeconds(10), "the deferred message acknowledged");
        var counts = await queue.GetCountsAsync();
        Assert.Equal(0, counts.Delayed + counts.InFlight + counts.Ready);
    }
}

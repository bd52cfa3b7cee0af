using System.Collections.Concurrent;
using MassTransit;
using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisPriorityTransport.Tests.Transport;

public record QueuedJob(string Name);

/// <summary>What each delivery of a job saw.</summary>
public sealed record JobStart(string Name, string TransportMessageId, Guid? MessageId, int RedeliveryCount);

/// <summary>
/// Fails "old" on its first delivery (or defers it, with <see cref="Defer"/>), and holds "n1" until the gate opens.
/// </summary>
public sealed class JobConsumer(ConcurrentQueue<JobStart> starts, TaskCompletionSource gate, bool defer, TimeSpan deferDelay) : IConsumer<QueuedJob>
{
    public async Task Consume(ConsumeContext<QueuedJob> context)
    {
        var redis = context.GetPayload<RedisMessageContext>();
        var redeliveries = context.GetRedeliveryCount();
        starts.Enqueue(new JobStart(context.Message.Name, redis.TransportMessageId, context.MessageId, redeliveries));
        if (context.Message.Name == "old" && redeliveries == 0)
        {
            if (defer)
            {
                // MassTransit's own redelivery call; it uses the transport's redelivery context.
                await context.Redeliver(deferDelay);
                return;
            }

            throw new InvalidOperationException("The first delivery of 'old' fails on purpose.");
        }

        if (context.Message.Name == "n1")
            await gate.Task;
    }
}

/// <summary>Redelivery and Defer give the same record back to the delayed set; when due it is ready at its old place.</summary>
public class RedeliveryInPlaceTests : TransportTestBase
{
    [RedisFact]
    public async Task Scheduled_redelivery_works_without_a_scheduler_and_keeps_the_record()
    {
        var counter = new AttemptCounter();
        await StartHarness(_ => { });
        var handle = Harness.Bus.ConnectReceiveEndpoint("scheduled", e =>
        {
            // No message scheduler is configured: the transport's redelivery context serves the scheduled redelivery.
            e.UseScheduledRedelivery(r => r.Intervals(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200)));
            e.Consumer(() => new FailingConsumer(counter));
        });
        await handle.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:scheduled"));

        await endpoint.Send(new FailingCommand("scheduled-1", 2));

        await PriorityOrderTests.WaitUntil(() => counter.Succeeded("scheduled-1"), TimeSpan.FromSeconds(30), "the third attempt succeeded");
        var success = counter.SuccessOf("scheduled-1");
        Assert.Equal(2, success.GetRedeliveryCount());
        Assert.Equal(success.MessageId.ToString(), success.GetPayload<RedisMessageContext>().TransportMessageId);
        Assert.True(success.ReceiveContext.Redelivered);
    }

    [RedisFact]
    public Task A_delayed_redelivery_keeps_the_record_and_goes_ahead_of_newer_messages_of_its_class() => RedeliveredInPlace(defer: false);

    [RedisFact]
    public Task MassTransits_Redeliver_keeps_the_record_and_goes_ahead_of_newer_messages_of_its_class() => RedeliveredInPlace(defer: true);

    async Task RedeliveredInPlace(bool defer)
    {
        var starts = new ConcurrentQueue<JobStart>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await StartHarness(_ => { });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:jobs"));
        var queue = Queue("jobs");
        var messagesKey = KeyPrefix + "{jobs}:jobs:messages";
        var delayedKey = KeyPrefix + "{jobs}:jobs:delayed";
        // All six wait before the endpoint starts: 'old' first, then five newer messages of the same class.
        var oldId = NewId.NextGuid();
        await endpoint.Send(new QueuedJob("old"), context =>
        {
            context.MessageId = oldId;
            context.SetUrgency(Urgency.Low);
        });
        for (var i = 1; i <= 5; i++)
            await endpoint.Send(new QueuedJob($"n{i}"), context => context.SetUrgency(Urgency.Low));

        var handle = Harness.Bus.ConnectReceiveEndpoint("jobs", e =>
        {
            e.ConcurrentMessageLimit = 1;
            if (!defer)
                e.UseDelayedRedelivery(r => r.Intervals(TimeSpan.FromSeconds(1)));
            e.Consumer(() => new JobConsumer(starts, gate, defer, TimeSpan.FromSeconds(1)));
        });
        await handle.Ready.WaitAsync(TimeSpan.FromSeconds(30));

        // 'old' failed (or was deferred) and went back to the delayed set before n1, the next in line, started; n1 now
        // holds the only slot until the gate opens, so nothing else is reserved meanwhile.
        await Eventually.HoldsAsync(() => Task.FromResult(starts.Any(s => s.Name == "n1")), TimeSpan.FromSeconds(30), "n1 started");
        var delayed = (await Database.SortedSetRangeByRankWithScoresAsync(delayedKey, 0, -1)).Single();
        // The same record waits, under its MessageId: no copy, no second id.
        Assert.Equal(oldId.ToString(), (string)delayed.Element!);
        Assert.Equal(6, await Database.HashLengthAsync(messagesKey));
        await Eventually.HoldsAsync(async () =>
        {
            var time = (RedisResult[])(await Database.ExecuteAsync("TIME"))!;
            return (long)time[0] * 1000 + (long)time[1] / 1000 > delayed.Score + 5;
        }, TimeSpan.FromSeconds(10), "'old' is due");
        gate.SetResult();

        // Due, 'old' is ready at its original place: ahead of n2..n5, which were sent after it.
        await Eventually.HoldsAsync(() => Task.FromResult(starts.Count == 7), TimeSpan.FromSeconds(30), "seven starts");
        var all = starts.ToArray();
        Assert.Equal(["old", "n1", "old", "n2", "n3", "n4", "n5"], all.Select(s => s.Name));
        var old = all.Where(s => s.Name == "old").ToArray();
        Assert.Equal(oldId.ToString(), old[0].TransportMessageId);
        Assert.Equal(oldId.ToString(), old[1].TransportMessageId);
        Assert.Equal(oldId, old[1].MessageId);
        Assert.Equal([0, 1], old.Select(s => s.RedeliveryCount));
        await Eventually.HoldsAsync(async () => await Database.HashLengthAsync(messagesKey) == 0, TimeSpan.FromSeconds(10), "every job acknowledged");
        Assert.Equal(0, (await queue.GetCountsAsync()).Delayed);
    }
}

public sealed class AlwaysFailingConsumer(AttemptCounter counter) : IConsumer<FailingCommand>
{
    public Task Consume(ConsumeContext<FailingCommand> context)
    {
        counter.Attempt($"{context.ReceiveContext.InputAddress.AbsolutePath.Trim('/')}:{context.Message.Id}");
        throw new InvalidOperationException($"{context.Message.Id} always fails.");
    }
}

/// <summary>Consuming an error queue must not loop: a fault there goes one level down, with its fault headers replaced.</summary>
public class ErrorQueueConsumerTests : TransportTestBase
{
    public ErrorQueueConsumerTests()
    {
    }

    protected ErrorQueueConsumerTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    [RedisFact]
    public async Task A_fault_on_an_error_queue_moves_the_message_to_its_own_error_queue_once_with_replaced_fault_headers()
    {
        var counter = new AttemptCounter();
        await StartHarness(_ => { });
        var audit = Harness.Bus.ConnectReceiveEndpoint("audit", e => e.Consumer(() => new AlwaysFailingConsumer(counter)));
        await audit.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:audit"));
        await endpoint.Send(new FailingCommand("poison", int.MaxValue), context => context.SetUrgency(Urgency.High));

        var firstError = Queue("audit_error");
        await Eventually.HoldsAsync(async () => (await firstError.GetCountsAsync()).Ready == 1, TimeSpan.FromSeconds(30), "the message in audit_error");
        var firstRecord = await SingleRecordAsync("audit_error");

        var onError = Harness.Bus.ConnectReceiveEndpoint("audit_error", e => e.Consumer(() => new AlwaysFailingConsumer(counter)));
        await onError.Ready.WaitAsync(TimeSpan.FromSeconds(30));

        var secondError = Queue("audit_error_error");
        await Eventually.HoldsAsync(async () => (await secondError.GetCountsAsync()).Ready == 1, TimeSpan.FromSeconds(30),
            "the message in audit_error_error");
        var counts = await firstError.GetCountsAsync();
        Assert.Equal(0, counts.Ready + counts.Delayed + counts.InFlight);
        Assert.Equal(1, counter.AttemptsOf("audit:poison"));
        Assert.Equal(1, counter.AttemptsOf("audit_error:poison"));

        var secondRecord = await SingleRecordAsync("audit_error_error");
        // Header names in the packed form, with their length prefix (MT-Fault-MessageType also contains MT-Fault-Message).
        Assert.Equal(1, Occurrences(secondRecord, "16:MT-Fault-Message"));
        Assert.Equal(1, Occurrences(secondRecord, "9:MT-Reason"));
        Assert.Equal(1, Occurrences(secondRecord, "19:MT-Fault-StackTrace"));
        // Replaced, not appended: the record does not double with each level.
        Assert.True(secondRecord.Length < firstRecord.Length + 1000, $"audit_error holds {firstRecord.Length} bytes, audit_error_error {secondRecord.Length}.");
        var reserved = (await secondError.ReserveAsync(1, TimeSpan.FromSeconds(30))).Messages.Single();
        Assert.Equal(Urgency.High, reserved.Priority.Urgency);
        Assert.Contains("poison always fails", reserved.Headers["MT-Fault-Message"]);
    }

    async Task<string> SingleRecordAsync(string queueName)
    {
        var entries = await Database.HashGetAllAsync($"{KeyPrefix}{{audit}}:{queueName}:messages");
        return (string)Assert.Single(entries).Value!;
    }

    static int Occurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}

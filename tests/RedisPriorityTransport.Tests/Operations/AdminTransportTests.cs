using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Transport;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Operations;

public record AdminJob(string Name, [property: Urgency] int Urgency);

/// <summary>Handler starts in order, and whether a job should fail.</summary>
public sealed class AdminJobLog
{
    readonly ConcurrentQueue<string> _started = new();
    readonly ConcurrentDictionary<string, int> _completed = new();

    public volatile bool Failing;

    public int WorkMs { get; set; }

    public IReadOnlyList<string> Started => _started.ToArray();

    public int StartedCount => _started.Count;

    public IReadOnlyDictionary<string, int> Completed => _completed;

    public void Start(string name) => _started.Enqueue(name);

    public void Complete(string name) => _completed.AddOrUpdate(name, 1, (_, n) => n + 1);
}

public sealed class AdminJobConsumer(AdminJobLog log) : IConsumer<AdminJob>
{
    public async Task Consume(ConsumeContext<AdminJob> context)
    {
        log.Start(context.Message.Name);
        if (log.WorkMs > 0)
            await Task.Delay(log.WorkMs);
        if (log.Failing)
            throw new InvalidOperationException($"{context.Message.Name} failed on purpose");
        log.Complete(context.Message.Name);
    }
}

/// <summary>The admin API against a running UsingRedis bus: what operators do while consumers work.</summary>
public sealed class AdminTransportTests(ITestOutputHelper output) : TransportTestBase
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    IPriorityQueueAdmin Admin => Services.GetRequiredService<IPriorityQueueAdmin>();

    [RedisFact]
    public async Task A_low_message_rushed_behind_a_10000_backlog_starts_next()
    {
        var log = new AdminJobLog { WorkMs = 1 };
        await StartHarness(x => x.AddSingleton(log));
        var queue = await Harness.Bus.GetSendEndpoint(new Uri("queue:rush"));
        await queue.Send(new AdminJob("low", (int)Urgency.Lowest));
        foreach (var chunk in Enumerable.Range(0, 10_000).Chunk(500))
            await Task.WhenAll(chunk.Select(i => queue.Send(new AdminJob($"n{i}", (int)Urgency.Normal))));
        var low = (await Admin.BrowseAsync("rush", MessageState.Ready, new MessageFilter { MaxUrgency = Urgency.Low })).Messages.Single();

        var handle = Harness.Bus.ConnectReceiveEndpoint("rush", e =>
        {
            e.ConcurrentMessageLimit = 1;
            e.Consumer(() => new AdminJobConsumer(log));
        });
        await handle.Ready.WaitAsync(Patience);
        await Eventually.HoldsAsync(() => Task.FromResult(log.StartedCount >= 20), Patience, "the backlog to be under way");

        var entry = await Admin.CriticalAsync("rush", low.MessageId, "ops", "customer on the phone");
        var startedWhenChanged = log.StartedCount;
        await Eventually.HoldsAsync(() => Task.FromResult(log.Started.Contains("low")), Patience, "the rushed message to start");

        var position = log.Started.ToList().IndexOf("low");
        output.WriteLine($"rushed after {startedWhenChanged} starts of 10,001; it started at position {position}; audit entry {entry.Id}");
        // With one slot, at most one message starts between the change and the rushed one: the message whose reserve ran
        // just before the change landed, whose handler may log its start only after the count above was read.
        Assert.InRange(position, startedWhenChanged - 1, startedWhenChanged + 1);
        Assert.True((await Admin.GetQueueAsync("rush")).Ready > 5_000);
        await Admin.PurgeAsync("rush", MessageState.Ready, "test", "clean up");
    }

    [RedisFact]
    public async Task Redrive_all_of_1000_from_the_error_queue_while_consumers_run()
    {
        var log = new AdminJobLog { Failing = true };
        await StartHarness(x =>
        {
            x.AddSingleton(log);
            x.AddConsumer<AdminJobConsumer>().Endpoint(e =>
            {
                e.Name = "redrive";
                e.ConcurrentMessageLimit = 8;
            });
        });
        await RedriveWhileRunning(log);
    }

    async Task RedriveWhileRunning(AdminJobLog log)
    {
        var queue = await Harness.Bus.GetSendEndpoint(new Uri("queue:redrive"));
        await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => queue.Send(new AdminJob($"j{i:0000}", i % 11))));
        await Eventually.HoldsAsync(async () => (await Admin.GetQueueAsync("redrive")).Error == 1000, Patience, "1,000 faults in the error queue");

        log.Failing = false;
        // New work keeps arriving while the redrive runs.
        var fresh = Task.WhenAll(Enumerable.Range(0, 200).Select(i => queue.Send(new AdminJob($"fresh{i}", 5))));
        var moved = await Admin.RedriveAllAsync("redrive", DeadLetterQueue.Error, "ops", "bug fixed");
        await fresh;

        Assert.Equal(1000, moved);
        await Eventually.HoldsAsync(() => Task.FromResult(log.Completed.Count == 1200), Patience, "every redriven and fresh job to complete");
        var summary = await Admin.GetQueueAsync("redrive");
        Assert.Equal((0L, 0L, 0L), (summary.Ready, summary.Error, summary.Skipped));
        Assert.All(log.Completed, pair => Assert.Equal(1, pair.Value));
        Assert.Equal(2000 + 200, log.StartedCount);
        output.WriteLine($"redrove {moved} in {(await Admin.GetHistoryAsync("redrive", new AuditQuery { Action = AuditAction.Redrive })).Entries.Count} audited batches");
    }
}

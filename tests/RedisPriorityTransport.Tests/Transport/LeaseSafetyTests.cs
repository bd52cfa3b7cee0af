using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Transport;

public record GatedJob(string Id);

/// <summary>Records every start of a job and holds the first start of each job (except "wake") until the test opens the gate.</summary>
public sealed class JobGate
{
    readonly ConcurrentQueue<string> _starts = new();
    readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly ConcurrentDictionary<int, bool> _leaseValidAtEnd = new();

    public int StartsOf(string id) => _starts.Count(s => s == id);

    /// <summary>Per start of a held job (1 = first), whether its lease was still valid when its handler ended.</summary>
    public IReadOnlyDictionary<int, bool> LeaseValidAtEnd => _leaseValidAtEnd;

    public void Open() => _open.TrySetResult();

    public async Task Run(ConsumeContext<GatedJob> context)
    {
        _starts.Enqueue(context.Message.Id);
        if (context.Message.Id == "wake")
            return;
        var start = StartsOf(context.Message.Id);
        if (start == 1)
            await _open.Task;
        try
        {
            await context.ReceiveContext.GetPayload<RedisPriorityTransport.Transport.RedisReceiveLockContext>().ValidateLockStatus();
            _leaseValidAtEnd[start] = true;
        }
        catch (MassTransitException)
        {
            _leaseValidAtEnd[start] = false;
            throw;
        }
    }
}

public sealed class GatedJobConsumer(JobGate gate) : IConsumer<GatedJob>
{
    public Task Consume(ConsumeContext<GatedJob> context) => gate.Run(context);
}

/// <summary>What happens to a message whose lease is lost while its handler still runs (issue 14, holes 1 and 2).</summary>
public sealed class LeaseSafetyTests : TransportTestBase
{
    [Fact]
    public async Task A_redelivery_to_the_process_still_running_the_first_delivery_is_handled_not_parked()
    {
        var gate = new JobGate();
        await StartHarness(x =>
        {
            x.AddSingleton(gate);
            x.AddConsumer<GatedJobConsumer>();
        });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:GatedJob"));
        await endpoint.Send(new GatedJob("stuck"));
        await Eventually.HoldsAsync(() => Task.FromResult(gate.StartsOf("stuck") == 1), TimeSpan.FromSeconds(30), "the first delivery to start");

        // The lease is lost while the handler still runs (a long pause, a partition): expire it in Redis. The next
        // reserve of this same process reclaims the message and delivers it again.
        var inflight = $"{KeyPrefix}{{GatedJob}}:GatedJob:inflight";
        var member = (await Database.SortedSetRangeByRankAsync(inflight)).Single();
        await Database.SortedSetAddAsync(inflight, member, 0);
        await endpoint.Send(new GatedJob("wake"));

        // The second delivery is handled while the first still runs: a visible second handling, not a silent park.
        try
        {
            await Eventually.HoldsAsync(() => Task.FromResult(gate.StartsOf("stuck") == 2), TimeSpan.FromSeconds(30),
                "the redelivery of 'stuck' to start while its first delivery still runs");
        }
        finally
        {
            gate.Open();
        }

        await using var queue = Queue("GatedJob");
        await Eventually.HoldsAsync(async () => await queue.GetCountsAsync() is { Ready: 0, InFlight: 0 }, TimeSpan.FromSeconds(30),
            "the queue to be empty");
    }

    [Fact]
    public async Task A_handler_running_past_MaxLockDuration_gives_its_message_back_and_its_lease_reports_lost()
    {
        var gate = new JobGate();
        await StartHarness(x =>
        {
            x.AddSingleton(gate);
            x.AddConsumer<GatedJobConsumer>();
        }, (_, cfg) =>
        {
            // A lease long enough not to be lost to a stalled machine: the second delivery must come from MaxLockDuration.
            cfg.LockDuration = TimeSpan.FromMilliseconds(1500);
            cfg.MaxLockDuration = TimeSpan.FromSeconds(2);
        });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:GatedJob"));
        await endpoint.Send(new GatedJob("hung"));

        // The first handler hangs; past MaxLockDuration the message is given back and delivered again.
        try
        {
            await Eventually.HoldsAsync(() => Task.FromResult(gate.StartsOf("hung") == 2), TimeSpan.FromSeconds(30),
                "the hung message to be given back and delivered again");
        }
        finally
        {
            gate.Open();
        }

        await Eventually.HoldsAsync(() => Task.FromResult(gate.LeaseValidAtEnd.Count == 2), TimeSpan.FromSeconds(30), "both handlers to end");
        // The hung handler learns its lease is gone; the second one holds its lease.
        Assert.False(gate.LeaseValidAtEnd[1], "The hung handler's lock context still reported its lease held.");
        Assert.True(gate.LeaseValidAtEnd[2]);
        await using var queue = Queue("GatedJob");
        await Eventually.HoldsAsync(async () => await queue.GetCountsAsync() is { Ready: 0, InFlight: 0 }, TimeSpan.FromSeconds(30),
            "the queue to be empty");
    }
}

/// <summary>
/// A renewal that fails is retried within the lease, not a whole renewal interval later (issue 14, hole 2). Runs on a
/// Redis of its own: it breaks the queue's in-flight key for a moment and counts the server's WRONGTYPE errors.
/// </summary>
public sealed class LeaseRenewalRetryTests : OwnServerTransportTestBase
{
    [Fact]
    public async Task A_failed_renewal_is_retried_promptly_within_the_lease()
    {
        var counter = new AttemptCounter();
        await StartHarness(x =>
        {
            x.AddSingleton(counter);
            // One slot on the endpoint: the receive loop does not reserve while the job runs, so only renewals touch the key.
            x.AddConsumer<SlowJobConsumer>().Endpoint(e => e.ConcurrentMessageLimit = 1);
        }, (_, cfg) => cfg.LockDuration = TimeSpan.FromSeconds(6));
        // Renewals every 2 s (a third of the lease); after a failure, a retry every 300 ms (a twentieth).
        await Harness.Bus.Publish(new SlowJob("long", 12000));
        var inflight = $"{KeyPrefix}{{SlowJob}}:SlowJob:inflight";
        var saved = $"{KeyPrefix}{{SlowJob}}:saved";

        // Wait for a renewal, so the next one is a whole interval away.
        var first = await Eventually.ValueAsync(async () => (await Database.SortedSetRangeByRankWithScoresAsync(inflight)) is [var only] ? only.Score : (double?)null,
            TimeSpan.FromSeconds(30), "the job to be in flight");
        await Eventually.HoldsAsync(async () => (await Database.SortedSetRangeByRankWithScoresAsync(inflight)) is [var only] && only.Score > first,
            TimeSpan.FromSeconds(30), "a first renewal");
        var renewed = (await Database.SortedSetRangeByRankWithScoresAsync(inflight)).Single().Score;

        // Break the in-flight key (atomically): renewals fail with WRONGTYPE until it is restored. The attempts are
        // counted by the server, so the retry's pace is read from them, not from how fast this test notices.
        var errorsBefore = await ServerErrors("WRONGTYPE");
        await Database.ScriptEvaluateAsync("redis.call('RENAME', KEYS[1], KEYS[2]); redis.call('SET', KEYS[1], 'broken')", [inflight, saved]);
        try
        {
            await Eventually.HoldsAsync(async () => await ServerErrors("WRONGTYPE") > errorsBefore, TimeSpan.FromSeconds(30), "a renewal to fail");
            // A prompt retry fails again within a few hundred ms; the regular schedule would not try again for 2 s.
            var afterFirst = await ServerErrors("WRONGTYPE");
            await Eventually.HoldsAsync(async () => await ServerErrors("WRONGTYPE") > afterFirst, TimeSpan.FromMilliseconds(1500),
                "a second failed renewal within 1.5 s of the first (a prompt retry, not the next renewal 2 s later)");
        }
        finally
        {
            await Database.ScriptEvaluateAsync("redis.call('DEL', KEYS[1]); redis.call('RENAME', KEYS[2], KEYS[1])", [inflight, saved]);
        }

        // Restored, the retry renews the lease, well before it would expire (6 s after the first renewal).
        await Eventually.HoldsAsync(async () => (await Database.SortedSetRangeByRankWithScoresAsync(inflight)) is [var only] && only.Score > renewed,
            TimeSpan.FromSeconds(30), "the lease to be renewed after the failure");
        await PriorityOrderTests.WaitUntil(() => counter.Succeeded("long"), TimeSpan.FromSeconds(30), "the long job finished");
        Assert.Equal(1, counter.AttemptsOf("long"));
    }
}

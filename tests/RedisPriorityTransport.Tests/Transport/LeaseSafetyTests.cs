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
            cfg.LockDuration = TimeSpan.FromMilliseconds(600);
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

using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Transport;

public record LoadJob(int Number);

/// <summary>Records when each job's handler started.</summary>
public sealed class StartLog
{
    readonly ConcurrentQueue<(int Number, long Timestamp)> _starts = new();
    readonly TaskCompletionSource<long> _critical = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public const int Critical = -1;

    public int Count => _starts.Count;

    public Task<long> CriticalStarted => _critical.Task;

    public IReadOnlyList<(int Number, long Timestamp)> Starts => _starts.ToArray();

    public void Started(int number)
    {
        var now = Stopwatch.GetTimestamp();
        _starts.Enqueue((number, now));
        if (number == Critical)
            _critical.TrySetResult(now);
    }
}

public sealed class LoadJobConsumer(StartLog log) : IConsumer<LoadJob>
{
    public async Task Consume(ConsumeContext<LoadJob> context)
    {
        log.Started(context.Message.Number);
        await Task.Delay(1);
    }
}

/// <summary>
/// The README's promise: an urgent message published behind a backlog that consumes at full concurrency starts after
/// at most <c>ConcurrentMessageLimit</c> other handler starts once its publish returned (issue 14, hole 6).
/// </summary>
public sealed class UrgentLatencyTests(ITestOutputHelper output) : TransportTestBase
{
    const int Slots = 8;

    [Fact]
    public async Task A_critical_message_behind_a_busy_backlog_starts_after_at_most_ConcurrentMessageLimit_other_starts()
    {
        var log = new StartLog();
        await StartHarness(x =>
        {
            x.AddSingleton(log);
            // The endpoint's limit is the number of messages it reserves; a consumer-level limit below it would hold reserved
            // messages waiting inside MassTransit's pipeline, ahead of a later urgent one.
            x.AddConsumer<LoadJobConsumer>().Endpoint(e => e.ConcurrentMessageLimit = Slots);
        });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:LoadJob"));
        await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => endpoint.Send(new LoadJob(i), c => c.SetUrgency(Urgency.Low))));
        await Eventually.HoldsAsync(() => Task.FromResult(log.Count >= 10 * Slots), TimeSpan.FromSeconds(30), "the backlog to run at full speed");

        var called = Stopwatch.GetTimestamp();
        await endpoint.Send(new LoadJob(StartLog.Critical), c => c.SetUrgency(Urgency.Critical));
        var returned = Stopwatch.GetTimestamp();
        var started = await log.CriticalStarted.WaitAsync(TimeSpan.FromSeconds(30));

        var starts = log.Starts.Where(s => s.Number != StartLog.Critical).ToArray();
        var fromCall = starts.Count(s => s.Timestamp >= called && s.Timestamp <= started);
        var fromReturn = starts.Count(s => s.Timestamp >= returned && s.Timestamp <= started);
        output.WriteLine($"{Slots} slots, 2,000 low messages of 1 ms: {fromCall} starts after the send call began and {fromReturn} after it returned "
                         + $"before the critical one; call→start {Stopwatch.GetElapsedTime(called, started).TotalMilliseconds:0.0} ms, "
                         + $"return→start {Stopwatch.GetElapsedTime(returned, started).TotalMilliseconds:0.0} ms");
        Assert.True(fromReturn <= Slots, $"{fromReturn} handlers started after the critical message's send returned and before it ({Slots} slots).");
    }
}

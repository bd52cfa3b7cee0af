using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using RedisPriorityTransport.CrashConsumer;
using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Transport;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Operations;

/// <summary>Pause and the global rate limit reach consumers in other processes (the crash consumer program, twice).</summary>
public sealed class ProcessAdminTests(ITestOutputHelper output) : TransportTestBase
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    IPriorityQueueAdmin Admin => PriorityQueueAdmin.Create(Redis.Connection,
        new PriorityQueueSettings { KeyPrefix = KeyPrefix, ReasonHeader = "MT-Reason" });

    [RedisFact]
    public async Task Pause_stops_both_consumer_processes_within_a_second_publishing_goes_on_and_resume_restarts_them()
    {
        const string queueName = "pausable";
        await StartHarness(_ => { });
        var jobs = await Harness.Bus.GetSendEndpoint(new Uri($"queue:{queueName}"));
        using var first = await ConsumerProcess.StartAsync(Redis.Configuration, KeyPrefix, queueName, lockMs: 5000, concurrency: 2, number: 1);
        using var second = await ConsumerProcess.StartAsync(Redis.Configuration, KeyPrefix, queueName, lockMs: 5000, concurrency: 2, number: 2);
        int Started() => first.StartedCount + second.StartedCount;

        // Both processes busy with a steady stream.
        var sent = 0;
        async Task Feed(int count)
        {
            for (var i = 0; i < count; i++)
                await jobs.Send(new StreamJob($"job{Interlocked.Increment(ref sent)}", WorkMs: 20));
        }

        await first.WaitUntilAsync(() => first.StartedCount >= 5 && second.StartedCount >= 5, Patience, "both processes to work", () => Feed(4));

        var clock = Stopwatch.StartNew();
        await Admin.PauseAsync(queueName, "ops", "deploying the webhook partner");
        var startedAtPause = Started();
        await Feed(100);
        // What was reserved before the pause finishes; nothing new starts.
        await Eventually.HoldsAsync(async () => (await Admin.GetQueueAsync(queueName)).InFlight == 0, Patience, "running jobs to finish");
        var stoppedAfter = clock.Elapsed;
        var startedWhilePaused = Started();
        var (firstWhilePaused, secondWhilePaused) = (first.StartedCount, second.StartedCount);
        var summary = await Admin.GetQueueAsync(queueName);
        Assert.True(summary.IsPaused);
        Assert.True(summary.Ready >= 100, $"publishing goes on while paused: {summary.Ready} ready");
        // Each process polls at least once a second: over two seconds every loop has asked Redis and been refused.
        await Remains(() => Started() == startedWhilePaused, TimeSpan.FromSeconds(2), "no job to start while paused");
        output.WriteLine($"paused after {startedAtPause} starts; {startedWhilePaused - startedAtPause} reserved just before the pause ran; " +
            $"in flight drained in {stoppedAfter.TotalMilliseconds:0} ms; nothing started for 2 s with {summary.Ready} ready");
        Assert.InRange(startedWhilePaused - startedAtPause, 0, 4);

        clock.Restart();
        await Admin.ResumeAsync(queueName, "ops", "done");
        await first.WaitUntilAsync(() => first.StartedCount > 0 && Started() > startedWhilePaused, TimeSpan.FromSeconds(5), "a job to start after resume");
        var resumedAfter = clock.Elapsed;
        await Eventually.HoldsAsync(async () => (await Admin.GetQueueAsync(queueName)) is { Ready: 0, InFlight: 0 }, Patience, "the backlog to drain");
        output.WriteLine($"resumed: first start after {resumedAfter.TotalMilliseconds:0} ms; process 1 started {first.StartedCount}, process 2 {second.StartedCount}");
        Assert.True(resumedAfter < TimeSpan.FromSeconds(1.5), $"resume took {resumedAfter}");
        Assert.Equal(sent, Started());
        Assert.True(first.StartedCount > firstWhilePaused && second.StartedCount > secondWhilePaused, "both processes resumed");
    }

    [RedisFact]
    public async Task The_rate_limit_holds_across_two_consumer_processes()
    {
        const string queueName = "webhooks";
        const int perWindow = 10;
        var window = TimeSpan.FromMilliseconds(100);
        await StartHarness(_ => { });
        var jobs = await Harness.Bus.GetSendEndpoint(new Uri($"queue:{queueName}"));
        // 20 s of work at the limit: enough that the backlog outlasts the measurement even when the second process starts
        // many seconds after the first on a loaded machine (with 900, it once drained before the measurement had ended).
        const int backlog = 2_000;
        foreach (var chunk in Enumerable.Range(0, backlog).Chunk(100))
            await Task.WhenAll(chunk.Select(i => jobs.Send(new StreamJob($"hook{i}", WorkMs: 0))));
        await Admin.SetRateLimitAsync(queueName, new RateLimit(perWindow, window), "ops", "partner allows 100/s");

        // Start times as the processes took them (Stopwatch.GetTimestamp, one monotonic clock for every process of the
        // machine), not as the lines arrive: on a loaded machine lines arrive in bunches, and a bunch read just after
        // the measurement began would count starts made before it.
        var starts = new ConcurrentQueue<(long At, int Process)>();
        void OnLine(ConsumerProcess process, string line)
        {
            if (line.StartsWith("clock ", StringComparison.Ordinal))
                starts.Enqueue((long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture), process.Number));
        }

        using var first = await ConsumerProcess.StartAsync(Redis.Configuration, KeyPrefix, queueName, lockMs: 5000, concurrency: 4, number: 1, onLine: OnLine);
        using var second = await ConsumerProcess.StartAsync(Redis.Configuration, KeyPrefix, queueName, lockMs: 5000, concurrency: 4, number: 2, onLine: OnLine);
        // Measure once both run: from the second process's first start, over four seconds (40 windows), and read on
        // until each process has started a job after the end.
        await second.WaitUntilAsync(() => starts.Any(s => s.Process == 2), Patience, "the second process to start a job");
        var from = starts.Where(s => s.Process == 2).Min(s => s.At);
        var measured = TimeSpan.FromSeconds(4);
        var to = from + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        await second.WaitUntilAsync(() => starts.Any(s => s.Process == 1 && s.At >= to) && starts.Any(s => s.Process == 2 && s.At >= to), Patience,
            "both processes to start a job after the measurement");

        var inWindow = starts.Where(s => s.At >= from && s.At < to).ToArray();
        var rate = inWindow.Length / measured.TotalSeconds;
        var expected = perWindow / window.TotalSeconds;
        output.WriteLine($"limit {perWindow} per {window.TotalMilliseconds} ms = {expected}/s; measured {rate:0.0}/s over {measured.TotalSeconds} s " +
            $"(process 1: {inWindow.Count(s => s.Process == 1)}, process 2: {inWindow.Count(s => s.Process == 2)}); without a limit two processes start thousands a second");
        // The limit is a ceiling: never more than 10 % above it. Below it the rate is what two consumer processes manage
        // on the machine; on a loaded 2-core CI machine (other test classes running) they measured 85-88/s against 100,
        // so the floor only shows the limit does not starve consumption.
        Assert.InRange(rate, expected * 0.7, expected * 1.1);
        Assert.Contains(inWindow, s => s.Process == 1);
        Assert.Contains(inWindow, s => s.Process == 2);
        await Admin.PurgeAsync(queueName, MessageState.Ready, "ops", "clean up");
    }

    /// <summary>Checks that <paramref name="condition"/> keeps holding for <paramref name="duration"/> (a negative: something does not happen).</summary>
    static async Task Remains(Func<bool> condition, TimeSpan duration, string what)
    {
        var until = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < until)
        {
            Assert.True(condition(), $"expected {what}");
            await Task.Delay(20);
        }
    }
}

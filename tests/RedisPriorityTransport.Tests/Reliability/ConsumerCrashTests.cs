using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using RedisPriorityTransport.CrashConsumer;
using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Transport;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Reliability;

/// <summary>
/// Consumer processes (tests/RedisPriorityTransport.CrashConsumer, MassTransit on this transport) killed with SIGKILL
/// while they consume: repeatedly at random points of a message stream, and by a poison message that kills its own
/// process on every delivery. What each process started and finished comes from its output lines, which survive the
/// kill, so every duplicate can be traced to a process that died.
/// </summary>
public class ConsumerCrashTests(ITestOutputHelper output) : TransportTestBase
{
    /// <summary>Overrides the number of kills of the stream test (else 20, times <c>RPT_SOAK_FACTOR</c> in the soak).</summary>
    public const string KillsVariable = "RPT_SOAK_KILLS";

    // Short leases keep a killed process's messages stranded for two seconds only, so twenty kills stay fast; the
    // handlers (20-80 ms) are far shorter, so a live process never loses a lease to a busy machine.
    const int StreamLockMs = 2000;
    // High enough that a message caught by several kills in a row is never sent to the error queue instead of redelivered.
    const int StreamMaxDeliveries = 100;
    const int StreamConcurrency = 2;
    const int Alive = 2;

    static int Kills =>
        int.TryParse(Environment.GetEnvironmentVariable(KillsVariable), out var kills) && kills > 0 ? kills : FaultRounds.Scale(20);

    [Fact]
    public async Task Consumer_processes_killed_at_random_points_lose_nothing_and_duplicate_only_what_the_dead_held()
    {
        var kills = Kills;
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var patience = TimeSpan.FromSeconds(120 + kills);
        var clock = Stopwatch.StartNew();
        const string queueName = "crash-stream";
        await StartHarness(_ => { });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri($"queue:{queueName}"));
        var queue = Queue(queueName);

        var published = new List<string>();
        async Task PublishAsync(int count)
        {
            var jobs = Enumerable.Range(published.Count, count)
                .Select(n => (Job: new StreamJob($"s{n:D6}", 20 + random.Next(61)), Urgency: (Urgency)random.Next(11))).ToArray();
            foreach (var chunk in jobs.Chunk(250))
                await Task.WhenAll(chunk.Select(j => endpoint.Send(j.Job, context => context.SetUrgency(j.Urgency))));
            published.AddRange(jobs.Select(j => j.Job.JobId));
        }

        var finished = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        void OnLine(ConsumerProcess process, string line)
        {
            if (line.StartsWith("finished ", StringComparison.Ordinal))
                finished[line.Split(' ')[1]] = 0;
        }

        var processes = new List<ConsumerProcess>();
        var alive = new List<ConsumerProcess>();
        var victims = new HashSet<ConsumerProcess>();
        async Task<ConsumerProcess> StartConsumerAsync()
        {
            var process = await ConsumerProcess.StartAsync(Redis.Configuration, KeyPrefix, queueName, StreamLockMs, StreamMaxDeliveries,
                StreamConcurrency, number: processes.Count + 1, waitUntilReady: false, onLine: OnLine);
            processes.Add(process);
            alive.Add(process);
            return process;
        }

        try
        {
            await PublishAsync(Math.Max(200, kills * 25));
            for (var i = 0; i < Alive; i++)
                await StartConsumerAsync();

            // Keep a backlog while waiting for a victim: the other process may drain the queue while the victim is
            // still starting, and a victim that gets nothing would never reach its kill point.
            var lastTopUp = Stopwatch.StartNew();
            async Task KeepFedAsync()
            {
                if (lastTopUp.ElapsedMilliseconds < 100)
                    return;
                lastTopUp.Restart();
                if ((await queue.GetCountsAsync()).Ready < 40)
                    await PublishAsync(100);
            }

            var aimedMidHandler = 0;
            for (var kill = 1; kill <= kills; kill++)
            {

                // Three aims in turn. Right after a "started" line the handler has 20-80 ms of work left: mid-handler.
                // Right after a "finished" line the acknowledgement is on its way and the next reserve may be too. Right
                // after "ready" the new process has just begun to reserve: between messages, at startup.
                var aim = (kill - 1) % 3;
                var victim = aim == 2 ? alive[^1] : alive[random.Next(alive.Count)];
                var steps = random.Next(1, 8);
                if (aim == 0)
                {
                    aimedMidHandler++;
                    var target = victim.StartedCount + steps;
                    await victim.WaitUntilAsync(() => victim.StartedCount >= target, patience, $"start {steps} more messages", KeepFedAsync);
                }
                else if (aim == 1)
                {
                    var target = victim.FinishedCount + steps;
                    await victim.WaitUntilAsync(() => victim.FinishedCount >= target, patience, $"finish {steps} more messages", KeepFedAsync);
                }
                else
                {
                    await victim.WaitForLineAsync("ready", patience);
                }

                victim.KillHard();
                victims.Add(victim);
                alive.Remove(victim);
                await StartConsumerAsync();
            }

            var killsDone = clock.Elapsed;
            await Eventually.HoldsAsync(() => Task.FromResult(published.All(finished.ContainsKey)), patience,
                "every published message to be finished by some consumer");
            await Eventually.HoldsAsync(async () => await queue.GetCountsAsync() is { Ready: 0, InFlight: 0, Delayed: 0 }, patience,
                "the queue to be empty with nothing in flight (the leases of the killed processes expired and were consumed again)");

            // The survivors are idle now; stopping them cannot strand anything.
            foreach (var process in processes)
                process.Dispose();

            var report = Analyse(published, processes, victims);
            output.WriteLine($"seed {seed}; {kills} kills (aimed: {aimedMidHandler} after a start, {kills - aimedMidHandler} after a finish or at startup; " +
                $"found: {report.KilledMidHandler} processes killed with a handler running, {kills - report.KilledMidHandler} between messages), " +
                $"{processes.Count} consumer processes, {Alive} alive at a time, lease {StreamLockMs} ms, concurrency {StreamConcurrency} each");
            output.WriteLine($"published {published.Count}, consumed {report.Consumed}, duplicated {report.Duplicated}, lost {report.Lost.Count}; " +
                $"deliveries interrupted by a kill {report.Interrupted}, finished but killed before the acknowledgement {report.FinishedThenKilled}; " +
                $"unexplained duplicates {report.Unexplained.Count}");
            output.WriteLine($"kills done after {killsDone.TotalSeconds:0.0} s, everything consumed and the queue empty after {clock.Elapsed.TotalSeconds:0.0} s");

            Assert.Empty(report.Lost);
            Assert.Empty(report.Unexplained);
            Assert.Equal(published.Count, report.Consumed);
            Assert.Equal(0, (await Queue(queueName + "_error").GetCountsAsync()).Ready);
            Assert.Equal(0, (await Queue(queueName + "_skipped").GetCountsAsync()).Ready);
        }
        finally
        {
            foreach (var process in processes)
                process.Dispose();
        }
    }

    [Fact]
    public async Task A_message_that_kills_its_process_every_time_ends_in_the_error_queue_while_the_queue_keeps_flowing()
    {
        const string queueName = "poison-stream";
        const int maxDeliveries = 3;
        // Long enough that a consumer process stalled by a busy machine keeps its lease (it renews every third of it).
        const int lockMs = 2000;
        const int before = 30;
        const int after = 30;
        var patience = TimeSpan.FromSeconds(120);
        var clock = Stopwatch.StartNew();
        await StartHarness(_ => { });
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri($"queue:{queueName}"));
        var queue = Queue(queueName);
        var errorQueue = Queue(queueName + "_error");

        var normal = Enumerable.Range(0, before + after).Select(i => $"n{i:D3}").ToArray();

        // When each line arrived, by the test's clock: shows what was consumed between the first crash and the move.
        var lines = new ConcurrentQueue<(TimeSpan At, ConsumerProcess Process, string Line)>();
        var processes = new List<ConsumerProcess>();
        async Task<ConsumerProcess> StartConsumerAsync() =>
            Track(await ConsumerProcess.StartAsync(Redis.Configuration, KeyPrefix, queueName, lockMs, maxDeliveries, concurrency: 1,
                number: processes.Count + 1, waitUntilReady: false, onLine: (p, line) => lines.Enqueue((clock.Elapsed, p, line))));
        ConsumerProcess Track(ConsumerProcess process)
        {
            processes.Add(process);
            return process;
        }

        try
        {
            var consumers = new[] { await StartConsumerAsync(), await StartConsumerAsync() };
            // Both consumers run before the first message arrives: when the poison kills one, the other is already there
            // to show the queue flowing, however long a new process takes to start on a busy machine.
            foreach (var consumer in consumers)
                await consumer.WaitForLineAsync("ready", patience);
            foreach (var id in normal.Take(before))
                await endpoint.Send(new StreamJob(id, 100), context => context.SetUrgency(Urgency.High));
            await endpoint.Send(new PoisonJob("poison"), context => context.SetUrgency(Urgency.High));
            foreach (var id in normal.Skip(before))
                await endpoint.Send(new StreamJob(id, 100), context => context.SetUrgency(Urgency.High));

            TimeSpan? movedAt = null;
            await Eventually.HoldsAsync(async () =>
            {
                // Two consumers at all times: each one the poison kills is replaced.
                for (var i = 0; i < consumers.Length; i++)
                {
                    if (consumers[i].HasExited)
                        consumers[i] = await StartConsumerAsync();
                }

                if ((await errorQueue.GetCountsAsync()).Ready == 0)
                    return false;
                movedAt = clock.Elapsed;
                return true;
            }, patience, $"the poison message to reach {queueName}_error");

            await Eventually.HoldsAsync(() => Task.FromResult(normal.All(id => lines.Any(l => l.Line.StartsWith($"finished {id} ", StringComparison.Ordinal)))),
                patience, "every other message to be consumed");
            await Eventually.HoldsAsync(async () => await queue.GetCountsAsync() is { Ready: 0, InFlight: 0, Delayed: 0 }, patience,
                "the queue to be empty");
            foreach (var process in processes)
                process.Dispose();

            var poisonStarts = lines.Where(l => l.Line.StartsWith("started poison ", StringComparison.Ordinal)).ToArray();
            var crashed = processes.Where(p => poisonStarts.Any(s => s.Process == p)).ToArray();
            var firstCrash = poisonStarts.Min(s => s.At);
            var finishedMeanwhile = lines.Count(l => l.Line.StartsWith("finished n", StringComparison.Ordinal) && l.At > firstCrash && l.At < movedAt);
            var normalStarts = lines.Count(l => l.Line.StartsWith("started n", StringComparison.Ordinal));
            // A normal message started twice: with one message at a time per process, a crash holds only the poison, so
            // the only allowed cause is a lease that ran out in a live process stalled by a busy machine,
            // which shows as a redelivery (delivery count 2 or more) of a message first started in a process that lived.
            var duplicates = lines.Where(l => l.Line.StartsWith("started n", StringComparison.Ordinal))
                .GroupBy(l => l.Line.Split(' ')[1]).Where(g => g.Count() > 1).ToArray();
            var moved = (await errorQueue.ReserveAsync(1, TimeSpan.FromSeconds(30))).Messages.Single();
            var reason = moved.Headers["MT-Reason"];
            output.WriteLine($"poison delivered {poisonStarts.Length} times (delivery counts {string.Join(", ", poisonStarts.Select(s => s.Line.Split(' ')[2]))}), " +
                $"each time killing its process ({crashed.Length} of {processes.Count} consumer processes died); moved to {queueName}_error " +
                $"{(movedAt!.Value - firstCrash).TotalSeconds:0.0} s after the first crash with MT-Reason '{reason}'");
            output.WriteLine($"other messages: published {normal.Length}, consumed {normal.Length}, duplicated {normalStarts - normal.Length}, lost 0; " +
                $"{finishedMeanwhile} of them consumed between the first crash and the move; total {clock.Elapsed.TotalSeconds:0.0} s");
            foreach (var duplicate in duplicates)
                output.WriteLine($"{duplicate.Key} started {duplicate.Count()} times: " +
                    string.Join(", ", duplicate.Select(l => $"delivery {l.Line.Split(' ')[2]} in process {l.Process.Number}{(crashed.Contains(l.Process) ? " (crashed)" : "")} at {l.At.TotalSeconds:0.000} s")));

            Assert.Equal(["1", "2", "3"], poisonStarts.Select(s => s.Line.Split(' ')[2]).Order());
            Assert.Equal(maxDeliveries, crashed.Length);
            Assert.All(crashed, p => Assert.True(p.HasExited));
            Assert.Contains($"after {maxDeliveries} deliveries", reason);
            Assert.Contains("poison", System.Text.Encoding.UTF8.GetString(moved.Body));
            Assert.Equal(Urgency.High, moved.Priority.Urgency);
            Assert.All(duplicates, duplicate =>
            {
                Assert.DoesNotContain(duplicate.First().Process, crashed);
                Assert.All(duplicate.Skip(1), later => Assert.True(int.Parse(later.Line.Split(' ')[2]) >= 2,
                    $"{duplicate.Key} was started again as a first delivery: {later.Line}"));
            });
            Assert.True(duplicates.Length <= 2, $"{duplicates.Length} other messages were started twice; at most 2 stalled leases are tolerated.");
            Assert.True(finishedMeanwhile > 0, "No other message was consumed while the poison message was being redelivered.");
            Assert.Equal(0, (await Queue(queueName + "_skipped").GetCountsAsync()).Ready);
        }
        finally
        {
            foreach (var process in processes)
                process.Dispose();
        }
    }

    sealed record Report(int Consumed, int Duplicated, IReadOnlyList<string> Lost, IReadOnlyList<string> Unexplained, int Interrupted,
        int FinishedThenKilled, int KilledMidHandler);

    /// <summary>
    /// Reads every process's "started"/"finished" lines: a message is consumed when some process finished it; a
    /// duplicate is any delivery after the first; a duplicate is explained only when every earlier delivery of the
    /// message was in a process the test killed.
    /// </summary>
    static Report Analyse(IReadOnlyList<string> published, IReadOnlyList<ConsumerProcess> processes, IReadOnlySet<ConsumerProcess> victims)
    {
        var deliveries = new Dictionary<string, List<(ConsumerProcess Process, int Count, bool Finished)>>(StringComparer.Ordinal);
        var killedMidHandler = 0;
        foreach (var process in processes)
        {
            var started = new List<(string Id, int Count)>();
            var finished = new HashSet<(string, int)>();
            foreach (var parts in process.Lines.Select(line => line.Split(' ')))
            {
                if (parts is ["started", var id, var count])
                    started.Add((id, int.Parse(count)));
                else if (parts is ["finished", var done, var doneCount])
                    finished.Add((done, int.Parse(doneCount)));
            }

            foreach (var (id, count) in started)
            {
                if (!deliveries.TryGetValue(id, out var list))
                    deliveries[id] = list = [];
                list.Add((process, count, finished.Contains((id, count))));
            }

            if (victims.Contains(process) && started.Any(s => !finished.Contains(s)))
                killedMidHandler++;
        }

        var lost = published.Where(id => !deliveries.TryGetValue(id, out var list) || !list.Any(d => d.Finished)).ToList();
        var unexplained = deliveries
            .Where(pair => pair.Value.OrderBy(d => d.Count).SkipLast(1).Any(d => !victims.Contains(d.Process)))
            .Select(pair => pair.Key).ToList();
        var all = deliveries.Values.SelectMany(list => list).ToArray();
        return new Report(
            Consumed: published.Count(id => deliveries.TryGetValue(id, out var list) && list.Any(d => d.Finished)),
            Duplicated: deliveries.Values.Sum(list => list.Count - 1),
            Lost: lost,
            Unexplained: unexplained,
            Interrupted: all.Count(d => !d.Finished && victims.Contains(d.Process)),
            FinishedThenKilled: deliveries.Values.Sum(list => list.OrderBy(d => d.Count).SkipLast(1).Count(d => d.Finished)),
            KilledMidHandler: killedMidHandler);
    }
}

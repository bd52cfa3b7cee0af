using System.Diagnostics;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>A workload that runs the same way on every contender.</summary>
public abstract class ContenderWorkload
{
    /// <summary>The section of the report the contender workloads share.</summary>
    public const string Section = "End to end";

    /// <summary>Name in the report and on the command line.</summary>
    public abstract string Name { get; }

    /// <summary>Runs once on <paramref name="contender"/>; the same <paramref name="seed"/> gives every contender the same messages.</summary>
    public abstract Task<IReadOnlyList<Measurement>> RunAsync(IContender contender, WorkloadSizes sizes, int seed);

    /// <summary>A unique queue name for one run.</summary>
    protected string NewQueueName() => $"bench-{Name}-{Guid.NewGuid():N}"[..40];

    /// <summary>Random priorities as the issue asks: urgency 1..5, event type alert, transaction or log.</summary>
    protected static MessagePlan[] RandomPlans(int count, int seed, int workMilliseconds = 0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(i => new MessagePlan(i, random.Next(1, 6), BenchMessage.RankedEventTypes[random.Next(BenchMessage.RankedEventTypes.Length)], workMilliseconds))
            .ToArray();
    }

    /// <summary>Publishes every plan from <paramref name="producers"/> concurrent producers, each in its share's order.</summary>
    protected static Task PublishAllAsync(IContenderRun run, MessagePlan[] plans, int producers) =>
        Task.WhenAll(Enumerable.Range(0, producers).Select(producer => Task.Run(async () =>
        {
            for (var i = producer; i < plans.Length; i += producers)
                await run.PublishAsync(plans[i].ToMessage());
        })));

    /// <summary>One figure of this workload.</summary>
    protected Measurement Figure(IContender contender, string metric, double value, bool showRatio = true) =>
        new(Section, Name, metric, contender.Name, value, showRatio);

    /// <summary>The Redis command breakdown of the last run, for the report's notes; null when the workload has none.</summary>
    public string? LastBreakdown { get; protected set; }

    /// <summary>Milliseconds between two <see cref="Stopwatch"/> timestamps.</summary>
    protected static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}

/// <summary>What to publish: the message without its publish timestamp.</summary>
/// <param name="Number">Publish-order number.</param>
/// <param name="Urgency">Urgency 0..10.</param>
/// <param name="EventType">Event type.</param>
/// <param name="WorkMilliseconds">Handler work.</param>
public readonly record struct MessagePlan(long Number, int Urgency, string EventType, int WorkMilliseconds)
{
    /// <summary>The message, stamped with the current time.</summary>
    public BenchMessage ToMessage() => new()
    {
        Number = Number,
        Urgency = Urgency,
        EventType = EventType,
        WorkMilliseconds = WorkMilliseconds,
        PublishedTimestamp = Stopwatch.GetTimestamp(),
    };
}

/// <summary>
/// (a) Burst throughput: N random messages published by concurrent producers into running consumers. Each producer
/// awaits its send, so <c>producers</c> is the number of sends in flight: 4 in <c>burst</c>, 64 in <c>burst-64</c>
/// (what an application sending from many requests at once looks like), 100 in <c>burst-100</c> (the harness the
/// BullMQ comparison of issue 13 used). <c>burst-sends</c> is <c>burst</c> with the consumers held until the last send
/// has returned: its publish rate is the send path alone, the most the 4-producer burst could deliver if consuming cost
/// nothing (see "Twelfth session of issue 13" in docs/benchmarks.md).
/// </summary>
/// <param name="name">The workload's name.</param>
/// <param name="producers">Sends in flight; null for <see cref="WorkloadSizes.Producers"/>.</param>
/// <param name="consumeAfterSends">Start consuming only when every send has returned.</param>
public sealed class BurstThroughputWorkload(string name = "burst", int? producers = null, bool consumeAfterSends = false) : ContenderWorkload
{
    /// <inheritdoc />
    public override string Name => name;

    /// <inheritdoc />
    public override async Task<IReadOnlyList<Measurement>> RunAsync(IContender contender, WorkloadSizes sizes, int seed)
    {
        var plans = RandomPlans(sizes.BurstMessages, seed);
        var inFlight = producers ?? sizes.Producers;
        // BullMQ's harness sends and consumes at once; it has no held start.
        if (consumeAfterSends && contender is IExternalContender)
            return [];
        if (contender is IExternalContender external)
        {
            var result = await external.RunExternallyAsync(new ExternalRunRequest("burst", plans, inFlight, sizes.Concurrency, sizes.PacedRatePerSecond, sizes.RunTimeout));
            return Figures(contender, plans.Length, result.Finished ? result.ElapsedSeconds : double.NaN, result.PublishSeconds,
                (result.ClientUser, result.ClientSystem), TimeSpan.Zero, result.Redis, result.CommandsSent, double.NaN);
        }

        var recorder = new ConsumptionRecorder(plans.Length);
        await using var run = await contender.StartRunAsync(new RunSpec(NewQueueName(), sizes.Concurrency, ConsumeImmediately: !consumeAfterSends), recorder);
        var redisBefore = await CpuMeter.ReadRedisAsync();
        var clientBefore = ProcessCpu.Read();
        var rabbitBefore = CpuMeter.ReadRabbitMq();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var workItemsBefore = ThreadPool.CompletedWorkItemCount;
        var switchesBefore = ProcessCpu.ContextSwitches();
        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        var clock = Stopwatch.StartNew();
        await PublishAllAsync(run, plans, inFlight);
        var published = clock.Elapsed;
        if (consumeAfterSends)
            await run.StartConsumingAsync();
        var finished = await recorder.WaitAllHandledAsync(sizes.RunTimeout);
        var elapsed = clock.Elapsed;
        var clientAfter = ProcessCpu.Read();
        var rabbit = CpuMeter.ReadRabbitMq() - rabbitBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        var workItems = ThreadPool.CompletedWorkItemCount - workItemsBefore;
        var switchesAfter = ProcessCpu.ContextSwitches();
        var jit = System.Runtime.JitInfo.GetCompilationTime() - jitBefore;
        var redis = (await CpuMeter.ReadRedisAsync()).Since(redisBefore);
        var figures = Figures(contender, plans.Length, finished ? elapsed.TotalSeconds : double.NaN, published.TotalSeconds,
            (clientAfter.User - clientBefore.User, clientAfter.System - clientBefore.System), rabbit, redis, redis.ScriptCalls, (double)allocated / plans.Length);
        figures.Add(Figure(contender, "client thread-pool work items per message", (double)workItems / plans.Length, showRatio: false));
        figures.Add(Figure(contender, "client context switches per message: voluntary (a thread blocked and was woken)",
            (double)(switchesAfter.Voluntary - switchesBefore.Voluntary) / plans.Length, showRatio: false));
        figures.Add(Figure(contender, "client context switches per message: involuntary (a runnable thread was preempted)",
            (double)(switchesAfter.Involuntary - switchesBefore.Involuntary) / plans.Length, showRatio: false));
        // Time the JIT spent compiling during the run, on any thread. It does not fall to 0 after the warm-up: each run
        // builds a bus, and the runtime keeps compiling methods again at higher tiers (about 200 a run, mostly async
        // state machines); in a run where it is large, compilation took CPU from the measurement on 2 cores.
        figures.Add(Figure(contender, "client JIT compilation during the run (ms; warm-up check)", jit.TotalMilliseconds, showRatio: false));
        return figures;
    }

    List<Measurement> Figures(IContender contender, int messages, double elapsedSeconds, double publishSeconds, (TimeSpan User, TimeSpan System) client,
        TimeSpan rabbitMq, RedisStats redis, long roundTrips, double allocatedPerMessage)
    {
        double PerMessage(TimeSpan cpu) => cpu.TotalMicroseconds / messages;
        var redisUser = TimeSpan.FromSeconds(redis.UserSeconds);
        var redisSystem = TimeSpan.FromSeconds(redis.SystemSeconds);
        var figures = new List<Measurement>
        {
            Figure(contender, $"throughput, {messages:N0} msg publish→handled (msg/s)", messages / elapsedSeconds),
            Figure(contender, "publish rate while consuming (msg/s)", messages / publishSeconds),
            Figure(contender, "client CPU per message (µs): this process (BullMQ: the Node process)", PerMessage(client.User + client.System), showRatio: false),
            Figure(contender, "client CPU per message: user (µs)", PerMessage(client.User), showRatio: false),
            Figure(contender, "client CPU per message: system (µs)", PerMessage(client.System), showRatio: false),
            Figure(contender, "broker CPU per message (µs): Redis (INFO cpu), beam.smp", PerMessage(redisUser + redisSystem + rabbitMq), showRatio: false),
            Figure(contender, "Redis CPU per message: user (µs)", PerMessage(redisUser), showRatio: false),
            Figure(contender, "Redis CPU per message: system (µs)", PerMessage(redisSystem), showRatio: false),
            Figure(contender, "Redis round trips per message (script calls; BullMQ: every command sent)", (double)roundTrips / messages, showRatio: false),
            Figure(contender, "Redis time in scripts per message (µs, commandstats)", (double)redis.ScriptMicroseconds / messages, showRatio: false),
            Figure(contender, "Redis wake-up notifications (PUBLISH) per message", (double)redis.Calls("publish") / messages, showRatio: false),
        };
        if (!double.IsNaN(allocatedPerMessage))
            figures.Add(Figure(contender, "client allocations per message (bytes)", allocatedPerMessage, showRatio: false));
        LastBreakdown = $"{Name} on {contender.Name}: Redis commands per message (scripts' own included, commandstats of the last run): {redis.Breakdown(messages)}";
        return figures;
    }
}

/// <summary>(b) Paced latency: messages published at a fixed rate; time from publish to handler start.</summary>
public sealed class PacedLatencyWorkload : ContenderWorkload
{
    /// <inheritdoc />
    public override string Name => "paced";

    /// <inheritdoc />
    public override async Task<IReadOnlyList<Measurement>> RunAsync(IContender contender, WorkloadSizes sizes, int seed)
    {
        var plans = RandomPlans(sizes.PacedMessages, seed);
        var rate = $"{sizes.PacedRatePerSecond:N0} msg/s";
        if (contender is IExternalContender external)
        {
            var result = await external.RunExternallyAsync(new ExternalRunRequest("paced", plans, 1, sizes.Concurrency, sizes.PacedRatePerSecond, sizes.RunTimeout));
            var sorted = result.LatenciesMs.Order().ToArray();
            return
            [
                Figure(contender, $"p50 publish→handler start at {rate} (ms)", result.Finished ? Percentile(sorted, 0.50) : double.NaN),
                Figure(contender, $"p99 publish→handler start at {rate} (ms)", result.Finished ? Percentile(sorted, 0.99) : double.NaN),
                Figure(contender, "publish rate achieved (msg/s; below the target rate the publisher could not keep up)", plans.Length / result.PublishSeconds),
            ];
        }

        var recorder = new ConsumptionRecorder(plans.Length);
        await using var run = await contender.StartRunAsync(new RunSpec(NewQueueName(), sizes.Concurrency, ConsumeImmediately: true), recorder);
        var start = Stopwatch.GetTimestamp();
        var ticksPerMessage = (double)Stopwatch.Frequency / sizes.PacedRatePerSecond;
        for (var i = 0; i < plans.Length; i++)
        {
            var due = start + (long)(i * ticksPerMessage);
            // Bounded: each pass either sleeps about a millisecond or leaves the loop.
            while (Stopwatch.GetTimestamp() < due)
                await Task.Delay(1);
            await run.PublishAsync(plans[i].ToMessage());
        }

        var publishSeconds = Milliseconds(start, Stopwatch.GetTimestamp()) / 1000;
        var finished = await recorder.WaitAllHandledAsync(sizes.RunTimeout);
        // The first tenth warms up connections and the JIT; it is left out.
        var latencies = recorder.Starts().Where(s => s.Message.Number >= plans.Length / 10)
            .Select(s => Milliseconds(s.Message.PublishedTimestamp, s.StartedTimestamp)).Order().ToArray();
        return
        [
            Figure(contender, $"p50 publish→handler start at {rate} (ms)", finished ? Percentile(latencies, 0.50) : double.NaN),
            Figure(contender, $"p99 publish→handler start at {rate} (ms)", finished ? Percentile(latencies, 0.99) : double.NaN),
            Figure(contender, "publish rate achieved (msg/s; below the target rate the publisher could not keep up)", plans.Length / publishSeconds),
        ];
    }

    static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}

/// <summary>
/// (c) Priority inversion: a low-urgency backlog with work per message is consuming at full concurrency, then one
/// critical message is published. Depth = handler starts between its publish and its own start.
/// </summary>
public sealed class PriorityInversionWorkload : ContenderWorkload
{
    const int CriticalUrgency = 10;

    /// <inheritdoc />
    public override string Name => "inversion";

    /// <inheritdoc />
    public override async Task<IReadOnlyList<Measurement>> RunAsync(IContender contender, WorkloadSizes sizes, int seed)
    {
        var backlog = Enumerable.Range(0, sizes.InversionBacklog)
            .Select(i => new MessagePlan(i, (int)Urgency.Maintenance, "log", sizes.InversionWorkMilliseconds)).ToArray();
        var critical = new MessagePlan(backlog.Length, CriticalUrgency, "alert", 0);
        if (contender is IExternalContender external)
        {
            var result = await external.RunExternallyAsync(new ExternalRunRequest("inversion", [.. backlog, critical], sizes.Producers, sizes.Concurrency,
                sizes.PacedRatePerSecond, sizes.RunTimeout));
            return
            [
                Figure(contender, $"handler starts after it was published, before it ({sizes.InversionBacklog:N0} backlog, {sizes.Concurrency} slots)",
                    result.InversionDepth ?? double.NaN, showRatio: false),
                Figure(contender, "critical message publish→handler start (ms)", result.CriticalLatencyMs ?? double.NaN),
            ];
        }

        var recorder = new ConsumptionRecorder(backlog.Length + 1);
        var criticalStarted = recorder.WatchFor(critical.Number);
        await using var run = await contender.StartRunAsync(new RunSpec(NewQueueName(), sizes.Concurrency, ConsumeImmediately: false), recorder);
        await PublishAllAsync(run, backlog, sizes.Producers);
        await run.StartConsumingAsync();
        // Let the consumers reach full speed (and any prefetch fill up) before the critical message arrives.
        await recorder.WaitStartedAsync(Math.Min(backlog.Length / 10, 10 * sizes.Concurrency), sizes.RunTimeout);
        var criticalMessage = critical.ToMessage();
        await run.PublishAsync(criticalMessage);
        // The README's promise counts from the publish's return (the message is in Redis); users feel it from the call.
        var returnedAt = Stopwatch.GetTimestamp();
        var finished = await Task.WhenAny(criticalStarted, Task.Delay(sizes.RunTimeout)) == criticalStarted;
        if (!finished)
        {
            return
            [
                Figure(contender, "handler starts after the publish call began, before it", double.NaN, showRatio: false),
                Figure(contender, "handler starts after the publish returned, before it", double.NaN, showRatio: false),
                Figure(contender, "critical message publish call→handler start (ms)", double.NaN),
                Figure(contender, "critical message publish return→handler start (ms)", double.NaN),
            ];
        }

        var startedAt = await criticalStarted;
        var starts = recorder.Starts();
        var fromCall = starts.Count(s => s.Message.Number != critical.Number
            && s.StartedTimestamp >= criticalMessage.PublishedTimestamp && s.StartedTimestamp <= startedAt);
        var fromReturn = starts.Count(s => s.Message.Number != critical.Number
            && s.StartedTimestamp >= returnedAt && s.StartedTimestamp <= startedAt);
        var shape = $"({sizes.InversionBacklog:N0} backlog, {sizes.Concurrency} slots)";
        return
        [
            Figure(contender, $"handler starts after the publish call began, before it {shape}", fromCall, showRatio: false),
            Figure(contender, $"handler starts after the publish returned, before it {shape}", fromReturn, showRatio: false),
            Figure(contender, "critical message publish call→handler start (ms)", Milliseconds(criticalMessage.PublishedTimestamp, startedAt)),
            Figure(contender, "critical message publish return→handler start (ms)", Milliseconds(returnedAt, startedAt)),
        ];
    }
}

/// <summary>
/// (d) Strict order: random messages queued first (one producer), then drained by one consumer (concurrency 1).
/// A violation is a message handed out while a more important one waited; FIFO violations are messages of one
/// (urgency, event type) class handed out before an earlier-published one of the same class.
/// </summary>
public sealed class StrictOrderWorkload : ContenderWorkload
{
    /// <inheritdoc />
    public override string Name => "strict-order";

    /// <inheritdoc />
    public override async Task<IReadOnlyList<Measurement>> RunAsync(IContender contender, WorkloadSizes sizes, int seed)
    {
        var plans = RandomPlans(sizes.StrictOrderMessages, seed);
        if (contender is IExternalContender external)
        {
            var result = await external.RunExternallyAsync(new ExternalRunRequest("strict-order", plans, 1, 1, sizes.PacedRatePerSecond, sizes.RunTimeout));
            var (externalPriority, externalFifo) = result.Finished
                ? CountViolations(result.StartOrder.Select(n => new HandlerStart(plans[n].ToMessage(), 0, false)).ToArray())
                : (double.NaN, double.NaN);
            return
            [
                Figure(contender, $"priority violations, {plans.Length:N0} msgs, 1 consumer (must be 0)", externalPriority, showRatio: false),
                Figure(contender, "FIFO violations within one priority class", externalFifo, showRatio: false),
            ];
        }

        var recorder = new ConsumptionRecorder(plans.Length);
        await using var run = await contender.StartRunAsync(new RunSpec(NewQueueName(), 1, ConsumeImmediately: false), recorder);
        await PublishAllAsync(run, plans, producers: 1);
        await run.StartConsumingAsync();
        var finished = await recorder.WaitAllHandledAsync(sizes.RunTimeout);
        var (priority, fifo) = finished ? CountViolations(recorder.Starts()) : (double.NaN, double.NaN);
        return
        [
            Figure(contender, $"priority violations, {plans.Length:N0} msgs, 1 consumer (must be 0)", priority, showRatio: false),
            Figure(contender, "FIFO violations within one priority class", fifo, showRatio: false),
        ];
    }

    /// <summary>Counts both kinds of violation over the handler starts in order, leaving out messages handed out before consuming began.</summary>
    public static (double Priority, double Fifo) CountViolations(IReadOnlyList<HandlerStart> starts)
    {
        var ordered = starts.Where(s => !s.HandedOutEarly).Select(s => s.Message).ToArray();
        var priorityViolations = 0;
        var fifoViolations = 0;
        var bestWaitingKey = int.MaxValue;
        var earliestWaitingByClass = new Dictionary<int, long>();
        // Walk backwards: everything after position i was still waiting when message i was handed out.
        for (var i = ordered.Length - 1; i >= 0; i--)
        {
            var key = ClassKey(ordered[i]);
            if (bestWaitingKey < key)
                priorityViolations++;
            if (earliestWaitingByClass.TryGetValue(key, out var earliest) && earliest < ordered[i].Number)
                fifoViolations++;
            bestWaitingKey = Math.Min(bestWaitingKey, key);
            earliestWaitingByClass[key] = Math.Min(earliestWaitingByClass.GetValueOrDefault(key, long.MaxValue), ordered[i].Number);
        }

        return (priorityViolations, fifoViolations);
    }

    // Lower is more important: urgency descending, then rank.
    static int ClassKey(BenchMessage message) => (UrgencyScale.Max - message.Urgency) * 16 + message.Rank;
}

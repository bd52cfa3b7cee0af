using System.Diagnostics;
using System.Runtime.InteropServices;
using RedisPriorityTransport.Benchmarks.Infrastructure;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>Options of the end-to-end benchmark, from the command line.</summary>
/// <param name="Sizes">Workload sizes (full or quick).</param>
/// <param name="Runs">Runs of each workload on each contender.</param>
/// <param name="Workloads">Names of the workloads to run; empty for all.</param>
/// <param name="OutputPath">Where the Markdown report goes.</param>
/// <param name="Mode">"full" or "quick", for the report.</param>
/// <param name="ContenderFilters">Run only contenders whose name contains one of these (case-insensitive); empty for all.</param>
/// <param name="Artifacts">The repository's artifacts folder (BullMQ is installed under it).</param>
/// <param name="CsvPath">Where to write every figure as CSV, or null.</param>
public sealed record EndToEndOptions(WorkloadSizes Sizes, int Runs, IReadOnlySet<string> Workloads, string OutputPath, string Mode,
    IReadOnlyList<string> ContenderFilters, string Artifacts, string? CsvPath = null);

/// <summary>
/// Runs every workload on every available contender, interleaved (run 1 of each workload on each contender, then run
/// 2, the contender order rotating), then the engine-only workloads, and writes the report.
/// </summary>
public static class EndToEndRunner
{
    /// <summary>Names of the engine-only workloads, for <see cref="EndToEndOptions.Workloads"/>.</summary>
    public static readonly string[] EngineWorkloads = ["scale", "footprint", "round-trip"];

    static readonly Dictionary<(string Workload, string Contender), string> LastBreakdowns = [];

    // Warm-up: both burst shapes, this many messages, this many times per contender, before any reported round. Two
    // passes were not enough: tiered compilation was still catching up, and in a process that measured one round
    // (compare-builds.sh) that round ran anywhere between half speed and full speed (docs/benchmarks.md, eighth session).
    const int WarmUpMessages = 5_000;
    const int WarmUpPasses = 6;

    /// <summary>Runs the benchmark and returns the Markdown report.</summary>
    public static async Task<string> RunAsync(EndToEndOptions options)
    {
        await using var redis = await BenchmarkRedis.StartAsync();
        var redisVersion = await redis.GetVersionAsync();
        CpuMeter.RedisProcessId = redis.ServerProcessId;
        CpuMeter.Redis = redis.Server;
        Console.WriteLine($"Redis {redisVersion} from {redis.Source}");
        var report = new MarkdownReport();

        IContender[] contenders =
        [
            new RawEngineContender(redis, RawConsumerShape.LoopPerSlot),
            new RawEngineContender(redis, RawConsumerShape.OneReserveLoop),
            new InMemoryContender(),
            new RedisTransportContender(redis.Configuration),
            new RabbitMqPriorityContender(durable: true),
            new RabbitMqPriorityContender(durable: false),
            new BullMqContender(redis.Configuration, options.Artifacts),
        ];
        report.SetColumns(ContenderWorkload.Section, contenders.Select(c => c.Name));
        report.SetReference(ContenderWorkload.Section, new InMemoryContender().Name, "MassTransit's own cost, no broker and no priority; paired per round");
        var usingRedis = new RedisTransportContender(redis.Configuration).Name;
        var inMemory = new InMemoryContender().Name;
        var bullMq = contenders.OfType<BullMqContender>().Single().Name;
        var rawOneLoop = new RawEngineContender(redis, RawConsumerShape.OneReserveLoop).Name;
        report.AddPairedRatio(usingRedis, inMemory);
        report.AddPairedRatio(usingRedis, bullMq);
        report.AddPairedRatio(rawOneLoop, inMemory);
        report.AddPairedRatio(rawOneLoop, bullMq);

        var available = new List<IContender>();
        foreach (var contender in contenders)
        {
            var selectedByFilter = options.ContenderFilters.Count == 0
                || options.ContenderFilters.Any(filter => contender.Name.Contains(filter, StringComparison.OrdinalIgnoreCase));
            var skipReason = selectedByFilter ? await contender.ProbeAsync() : "not selected by --contenders";
            if (skipReason is null)
                available.Add(contender);
            else
                report.Note($"{contender.Name} skipped: {skipReason}.");
        }

        report.Note($"MassTransit UsingRedis is this library's transport on the same Redis as the raw engine, ConcurrentMessageLimit and PrefetchCount {options.Sizes.Concurrency} like the in-memory transport.");
        report.Note($"raw engine, loop per slot: {options.Sizes.Concurrency} loops each reserving one message; raw engine, one reserve loop: one loop reserving up to the free slots and dispatching to handler tasks (see docs/benchmarks.md).");
        report.Note("MassTransit in-memory has no priority at all: its inversion depth and order violations show plain FIFO, the reference for throughput and latency only.");
        report.Note("The benchmark's own redis-server runs without persistence (no RDB, no AOF); RabbitMQ durable uses MassTransit's defaults (durable queue, persistent messages, publisher confirms: the broker writes to disk before confirming); RabbitMQ transient is the comparable setting.");
        report.Note("MassTransit RabbitMQ priority carries the urgency as the message priority (x-max-priority 10); event-type rank has no place there.");
        report.Note($"BullMQ (Node) runs producers and one Worker (concurrency {options.Sizes.Concurrency}, no-op processor, removeOnComplete) in a Node process on the same Redis, priority (10 - urgency) * 16 + rank + 1; its client CPU is the Node process's, its round trips every command it sent.");
        report.Note("burst: 4 producers each awaiting its send; burst-64: 64 sends in flight; burst-100: 100 in flight (the BullMQ comparison's harness); burst-sends: the burst with consumers held until the last send returned, so its publish rate is the send path alone (BullMQ has no held start and is left out).");

        ContenderWorkload[] workloads =
        [
            new BurstThroughputWorkload(), new BurstThroughputWorkload("burst-64", 64), new BurstThroughputWorkload("burst-100", 100),
            new BurstThroughputWorkload("burst-sends", consumeAfterSends: true), new PacedLatencyWorkload(), new PriorityInversionWorkload(), new StrictOrderWorkload(),
        ];
        var selected = workloads.Where(w => options.Workloads.Count == 0 || options.Workloads.Contains(w.Name)).ToArray();

        if (selected.Length > 0)
        {
            // Until the JIT has tiered up the hot paths: a 500-message warm-up left much of the transport's receive
            // path at tier 0 (a CPU profile of the first reported round showed QuickJitted frames on top), so the
            // first round of every contender measured compilation, and UsingRedis, with more code of its own than
            // the in-memory transport, paid most (7,800 then 11,100, 18,200, 19,800 msg/s in four rounds of burst-64).
            // Passes of 5,000 messages: UsingRedis's 4-producer burst ran at 6,300, 7,500, 7,800, 8,900, 12,900 and
            // then about 15,500-18,500 msg/s from the sixth on; the in-memory transport's settled after four.
            Console.WriteLine("Warm-up (not reported)");
            var warmUp = options.Sizes with { BurstMessages = Math.Min(options.Sizes.BurstMessages, WarmUpMessages) };
            for (var pass = 0; pass < WarmUpPasses; pass++)
            {
                foreach (var contender in available)
                {
                    await RunOneAsync(new BurstThroughputWorkload(), contender, warmUp, seed: -1 - pass, round: -1, report: null);
                    await RunOneAsync(new BurstThroughputWorkload("burst-64", 64), contender, warmUp, seed: -1 - pass, round: -1, report: null);
                }
            }
        }

        for (var run = 0; run < options.Runs; run++)
        {
            foreach (var workload in selected)
            {
                for (var turn = 0; turn < available.Count; turn++)
                {
                    var contender = available[(turn + run) % available.Count];
                    await RunOneAsync(workload, contender, options.Sizes, seed: 1_000 * run + workload.Name.Length, run, report);
                }
            }
        }

        if (options.Workloads.Count == 0 || options.Workloads.Contains("scale"))
            await RunScaleAsync(redis, options, report);
        if (options.Workloads.Count == 0 || options.Workloads.Contains("footprint"))
            await RunFootprintAsync(redis, options, report);
        if (options.Workloads.Count == 0 || options.Workloads.Contains("round-trip"))
            await RunRoundTripFloorAsync(redis, options, report);

        if (options.CsvPath is { } csv)
            await File.WriteAllTextAsync(csv, report.ToCsv());
        foreach (var breakdown in LastBreakdowns.Values)
            report.Note(breakdown);
        foreach (var contender in contenders)
            await contender.DisposeAsync();

        return report.Render(Header(options, redisVersion, redis.Source));
    }

    static async Task RunOneAsync(ContenderWorkload workload, IContender contender, WorkloadSizes sizes, int seed, int round, MarkdownReport? report)
    {
        // What the previous contender left to collect is not charged to this one.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var clock = Stopwatch.StartNew();
        try
        {
            // Bounded even if a contender hangs: the run counts as failed and the benchmark goes on.
            var running = workload.RunAsync(contender, sizes, seed);
            if (await Task.WhenAny(running, Task.Delay(sizes.RunTimeout * 2)) != running)
                throw new TimeoutException($"no result within {(sizes.RunTimeout * 2).TotalSeconds:N0} s");
            var figures = await running;
            Console.WriteLine($"  {workload.Name,-12} {contender.Name,-30} {clock.Elapsed.TotalSeconds,5:F1} s  " +
                string.Join("; ", figures.Select(f => $"{f.Metric.Split(" (")[0]} = {f.Value:0.##}")));
            report?.Add(figures.Select(f => f with { Round = round }));
            if (workload.LastBreakdown is { } breakdown)
            {
                Console.WriteLine($"    {breakdown}");
                if (report is not null)
                    LastBreakdowns[(workload.Name, contender.Name)] = breakdown;
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Console.WriteLine($"  {workload.Name,-12} {contender.Name,-30} FAILED: {exception.GetType().Name}: {exception.Message}");
            report?.Note($"{workload.Name} on {contender.Name} failed once: {exception.GetType().Name}: {exception.Message}");
        }
    }

    static async Task RunScaleAsync(BenchmarkRedis redis, EndToEndOptions options, MarkdownReport report)
    {
        Console.WriteLine("Engine cost at scale");
        await using var scale = new CostAtScaleWorkload(redis, options.Sizes);
        await scale.PrepareAsync();
        report.SetReference(CostAtScaleWorkload.Section, $"{options.Sizes.ScaleSmallWaiting:N0} waiting", "the target is ≥ 0.8 with the large backlog");
        for (var round = 0; round < options.Runs; round++)
        {
            var figures = await scale.RunAsync(round);
            Console.WriteLine("  " + string.Join("; ", figures.Select(f => $"{f.Column}: {f.Metric.Split(',')[0]} = {f.Value:N0}")));
            report.Add(figures);
        }
    }

    static async Task RunFootprintAsync(BenchmarkRedis redis, EndToEndOptions options, MarkdownReport report)
    {
        Console.WriteLine("Redis footprint");
        var footprint = new FootprintWorkload(redis, options.Sizes);
        for (var round = 0; round < options.Runs; round++)
            report.Add(await footprint.MeasureMemoryAsync());
        report.Add(await footprint.MeasureIdleAsync());
        report.Note($"Memory is measured with {options.Sizes.FootprintMessages:N0} waiting messages per layout; idle commands over {options.Sizes.IdleWindow.TotalSeconds:N0} s.");
    }

    static async Task RunRoundTripFloorAsync(BenchmarkRedis redis, EndToEndOptions options, MarkdownReport report)
    {
        Console.WriteLine("Round-trip floor");
        var floor = new RoundTripFloorWorkload(redis, options.Sizes);
        for (var round = 0; round < options.Runs; round++)
        {
            var figures = await floor.RunAsync(round);
            Console.WriteLine("  " + string.Join("; ", figures.Select(f => $"{f.Column}: {f.Metric.Split(" (")[0]} = {f.Value:0.#}")));
            report.Add(figures);
        }

        report.Note($"Round-trip floor: {options.Sizes.RoundTripCalls:N0} calls of a script that returns 1, with a {RoundTripFloorWorkload.ArgumentBytes:N0}-byte argument, per caller count; each caller awaits its call before the next.");
    }

    static IEnumerable<string> Header(EndToEndOptions options, string redisVersion, string redisSource)
    {
        yield return "# Benchmarks";
        yield return "";
        yield return $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `tests/RedisPriorityTransport.Benchmarks` ({options.Mode} mode, {options.Runs} run(s) of each workload on each contender, interleaved). See docs/benchmarks.md.";
        yield return "";
        yield return $"- machine: {Environment.ProcessorCount} logical CPUs, {CpuModel()}, {RuntimeInformation.OSDescription}";
        yield return $"- runtime: {RuntimeInformation.FrameworkDescription}; Redis {redisVersion} ({redisSource})";
        yield return $"- sizes: burst {options.Sizes.BurstMessages:N0}, paced {options.Sizes.PacedMessages:N0} at {options.Sizes.PacedRatePerSecond:N0}/s, inversion backlog {options.Sizes.InversionBacklog:N0}, strict order {options.Sizes.StrictOrderMessages:N0}, concurrency {options.Sizes.Concurrency}, scale {options.Sizes.ScaleSmallWaiting:N0} vs {options.Sizes.ScaleLargeWaiting:N0} waiting";
    }

    static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}

// The one-command demo: Redis comes up, a burst of mixed events is published while no consumer runs, then one
// consumer drains a burst (strict order: zero violations) and two consumers of different speeds drain another.
// Exit code 0 only if the closing summary holds.
//   dotnet cake --target=Demo      or      dotnet run --project samples/Demo [-- --events 1000]
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RedisPriorityTransport;
using Samples.Contracts;
using Samples.Demo;
using StackExchange.Redis;

var eventsPerRound = args is ["--events", var n, ..] && int.TryParse(n, out var parsed) && parsed > 0 ? parsed : 1000;
var keyPrefix = $"demo-{Guid.NewGuid():N}"[..13] + ":";
var ledger = new DemoLedger();
var failures = new List<string>();

await using var redis = await RedisLauncher.StartAsync();
Console.WriteLine($"Redis: {redis.Description} at {redis.Configuration}; keys under '{keyPrefix}'.");
using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);

// Deploying the consumer once creates its queue and subscriptions; then it goes away, as if workers were down.
await (await StartConsumerAsync("deploy", processingMs: 0)).DisposeAsync();

Console.WriteLine();
Console.WriteLine($"Round 1: {eventsPerRound} events published while no consumer runs, then drained by one consumer.");
var published1 = await PublishBurstAsync(eventsPerRound, firstNumber: 1);
await using (var single = await StartConsumerAsync("single", processingMs: 1))
    await ShowDrainAsync(eventsPerRound);
var round1 = ledger.TakeAll();
Report(round1, published1, oneConsumer: true);

Console.WriteLine();
Console.WriteLine($"Round 2: {eventsPerRound} more events, drained by a fast (1 ms) and a slow (5 ms) consumer.");
var published2 = await PublishBurstAsync(eventsPerRound, firstNumber: eventsPerRound + 1);
await using (var fast = await StartConsumerAsync("fast", processingMs: 1))
await using (var slow = await StartConsumerAsync("slow", processingMs: 5))
    await ShowDrainAsync(eventsPerRound);
var round2 = ledger.TakeAll();
Report(round2, published2, oneConsumer: false);

var queueSettings = new PriorityQueueSettings { KeyPrefix = keyPrefix };
await using var queue = new RedisPriorityQueue(connection, SampleQueues.Events, queueSettings);
await using var errorQueue = new RedisPriorityQueue(connection, queue.ErrorQueueName, queueSettings);
var counts = await queue.GetCountsAsync();
var errors = await errorQueue.GetCountsAsync();
Console.WriteLine();
Console.WriteLine($"Queue '{SampleQueues.Events}' at the end: {counts.Ready} ready, {counts.InFlight} in flight, {counts.Delayed} delayed; {errors.Ready} in '{queue.ErrorQueueName}'.");
if (counts.Ready + counts.InFlight + counts.Delayed + errors.Ready != 0)
    failures.Add("the queue was not left empty");

foreach (var key in connection.GetServers().SelectMany(s => s.Keys(pattern: keyPrefix + "*")))
    await connection.GetDatabase().KeyDeleteAsync(key);

Console.WriteLine();
if (failures.Count == 0)
{
    Console.WriteLine("Summary holds: every event handled once, in strict priority order, queue left empty.");
    return 0;
}

Console.WriteLine("Summary FAILED: " + string.Join("; ", failures) + ".");
return 1;

async Task<RunningHost> StartConsumerAsync(string name, int processingMs)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    // Start returns once the bus and its endpoint are running, so the demo's phases do not overlap.
    builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
    builder.Services.AddSingleton(ledger);
    builder.Services.AddSingleton(new DemoConsumerSettings(name, processingMs));
    builder.Services.AddRedisPriorityQueue(bus =>
            bus.AddConsumer<DemoConsumer>().Endpoint(e =>
            {
                e.Name = SampleQueues.Events;
                e.ConcurrentMessageLimit = 1;
            }),
        options =>
        {
            options.Configuration = redis.Configuration;
            options.KeyPrefix = keyPrefix;
            options.EventTypeRanking = EventTypes.HighestFirst;
        });
    var host = builder.Build();
    await host.StartAsync();
    return new RunningHost(host);
}

async Task<Dictionary<int, int>> PublishBurstAsync(int count, int firstNumber)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
    builder.Services.AddRedisPriorityQueue(configureBus: null, options =>
    {
        options.Configuration = redis.Configuration;
        options.KeyPrefix = keyPrefix;
        options.EventTypeRanking = EventTypes.HighestFirst;
    });
    using var host = builder.Build();
    await host.StartAsync();
    var bus = host.Services.GetRequiredService<IRedisPriorityBus>();
    var random = new Random(firstNumber);
    var urgencyOf = new Dictionary<int, int>();
    for (var number = firstNumber; number < firstNumber + count; number++)
    {
        // One publish after another, so publish order is enqueue order and the FIFO part of the order is checkable.
        var e = SampleEvents.Random(random, number);
        await bus.Publish(e, e.GetType());
        urgencyOf[number] = e.Urgency;
    }

    await host.StopAsync();
    var byType = urgencyOf.Count;
    Console.WriteLine($"  published {byType} events, urgency 1..10, types alert/transaction/log");
    return urgencyOf;
}

async Task ShowDrainAsync(int expected)
{
    var interactive = !Console.IsOutputRedirected;
    var started = DateTime.UtcNow;
    var lastPrinted = -1;
    while (ledger.Count < expected)
    {
        if (DateTime.UtcNow - started > TimeSpan.FromMinutes(5))
        {
            failures.Add($"the drain stalled at {ledger.Count} of {expected}");
            break;
        }

        var done = ledger.Count;
        if (interactive)
            Console.Write($"\r  {ProgressBar(done, expected)} {done,6}/{expected}");
        else if (done / (expected / 4) != lastPrinted)
        {
            lastPrinted = done / (expected / 4);
            Console.WriteLine($"  drained {done}/{expected}");
        }

        await Task.Delay(100);
    }

    if (interactive)
        Console.WriteLine($"\r  {ProgressBar(expected, expected)} {ledger.Count,6}/{expected} in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
}

static string ProgressBar(int done, int total)
{
    const int width = 30;
    var filled = total == 0 ? width : Math.Min(width, done * width / total);
    return "[" + new string('#', filled) + new string('.', width - filled) + "]";
}

void Report(IReadOnlyList<HandlerStart> starts, Dictionary<int, int> published, bool oneConsumer)
{
    var duplicates = starts.Count - starts.Select(s => s.Number).Distinct().Count();
    var missing = published.Keys.Except(starts.Select(s => s.Number)).Count();
    Console.WriteLine($"  handled {starts.Count} of {published.Count}: {duplicates} duplicates, {missing} missing");
    if (duplicates != 0 || missing != 0)
        failures.Add($"{duplicates} duplicates and {missing} missing events");

    foreach (var consumer in starts.GroupBy(s => s.Consumer))
    {
        var violations = DemoLedger.CountOrderViolations(consumer);
        Console.WriteLine($"  consumer {consumer.Key,-6} handled {consumer.Count(),5}; order violations: {violations}");
        if (violations != 0)
            failures.Add($"{violations} order violations at consumer {consumer.Key}");
    }

    var first = starts.Count > 0 ? starts[0].At : TimeSpan.Zero;
    string Wait(IEnumerable<HandlerStart> group)
    {
        var waits = group.Select(s => (s.At - first).TotalMilliseconds).Order().ToList();
        return waits.Count == 0 ? "none" : $"median {waits[waits.Count / 2]:F0} ms, max {waits[^1]:F0} ms";
    }

    var urgent = starts.Where(s => s.Urgency >= 8).ToList();
    Console.WriteLine($"  urgent events (8-10): {urgent.Count}, started {Wait(urgent)} after the drain began; the rest: {Wait(starts.Where(s => s.Urgency < 8))}");
    if (oneConsumer)
    {
        var lastUrgentPosition = starts.Select((s, i) => (s, i)).Where(p => p.s.Urgency >= 8).Select(p => p.i + 1).DefaultIfEmpty(0).Max();
        Console.WriteLine($"  all {urgent.Count} urgent events were among the first {lastUrgentPosition} handler starts");
        if (lastUrgentPosition != urgent.Count)
            failures.Add("an urgent event waited behind a less urgent one");
    }
}

namespace Samples.Demo
{
    /// <summary>A started host that stops gracefully (letting in-flight messages finish) when disposed.</summary>
    public sealed class RunningHost(IHost host) : IAsyncDisposable
    {
        /// <inheritdoc />
        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    /// <summary>Name and simulated work time of one demo consumer.</summary>
    public sealed record DemoConsumerSettings(string Name, int ProcessingMs);

    /// <summary>Records each handler start in the ledger, then simulates work.</summary>
    public sealed class DemoConsumer(DemoLedger ledger, DemoConsumerSettings settings) :
        IConsumer<AlertRaised>, IConsumer<TransactionRecorded>, IConsumer<LogWritten>
    {
        /// <inheritdoc />
        public Task Consume(ConsumeContext<AlertRaised> context) => Handle(context.Message, context.CancellationToken);

        /// <inheritdoc />
        public Task Consume(ConsumeContext<TransactionRecorded> context) => Handle(context.Message, context.CancellationToken);

        /// <inheritdoc />
        public Task Consume(ConsumeContext<LogWritten> context) => Handle(context.Message, context.CancellationToken);

        Task Handle(ISampleEvent e, CancellationToken cancellationToken)
        {
            ledger.Record(settings.Name, e);
            return settings.ProcessingMs > 0 ? Task.Delay(settings.ProcessingMs, cancellationToken) : Task.CompletedTask;
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using RedisPriorityTransport.Benchmarks.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>
/// (e) Cost at scale, engine only: enqueue and reserve+acknowledge throughput of a queue with a small backlog against
/// one with a large backlog, measured alternately. Each round enqueues K messages and then takes K, so the backlogs
/// stay at their size.
/// </summary>
public sealed class CostAtScaleWorkload(BenchmarkRedis redis, WorkloadSizes sizes) : IAsyncDisposable
{
    /// <summary>The report section.</summary>
    public const string Section = "Engine cost at scale";

    const int FillBatch = 1_000;
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    readonly byte[] _body = new byte[200];
    ConnectionMultiplexer? _connection;
    RedisPriorityQueue? _small;
    RedisPriorityQueue? _large;
    long _next;

    /// <summary>Fills the two queues once; the large one takes a while (about 10 s per million on a loopback Redis).</summary>
    public async Task PrepareAsync()
    {
        _connection = await redis.ConnectAgainAsync();
        _small = new RedisPriorityQueue(_connection, "scale-small", RawEngineContender.Settings);
        _large = new RedisPriorityQueue(_connection, "scale-large", RawEngineContender.Settings);
        var clock = Stopwatch.StartNew();
        await FillAsync(_small, sizes.ScaleSmallWaiting);
        await FillAsync(_large, sizes.ScaleLargeWaiting);
        Console.WriteLine($"  filled {sizes.ScaleSmallWaiting:N0} and {sizes.ScaleLargeWaiting:N0} waiting messages in {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>One round: both queues, in an order that alternates with <paramref name="round"/>.</summary>
    public async Task<IReadOnlyList<Measurement>> RunAsync(int round)
    {
        var queues = round % 2 == 0
            ? new[] { (_small!, sizes.ScaleSmallWaiting), (_large!, sizes.ScaleLargeWaiting) }
            : new[] { (_large!, sizes.ScaleLargeWaiting), (_small!, sizes.ScaleSmallWaiting) };
        var figures = new List<Measurement>();
        foreach (var (queue, waiting) in queues)
        {
            var column = $"{waiting:N0} waiting";
            var redisCpu = CpuMeter.Read().Broker;
            var clock = Stopwatch.StartNew();
            await Parallel.ForAsync(0, sizes.ScaleOperations, new ParallelOptions { MaxDegreeOfParallelism = sizes.Concurrency },
                async (_, _) => await queue.EnqueueAsync(NewMessage()));
            figures.Add(new Measurement(Section, "scale", $"enqueue one at a time, {sizes.Concurrency} producers (msg/s)", column,
                sizes.ScaleOperations / clock.Elapsed.TotalSeconds));
            // Redis's own CPU per operation: what the backlog size can change, and far steadier than wall time here.
            figures.Add(new Measurement(Section, "scale", "Redis CPU per enqueue (µs)", column,
                (CpuMeter.Read().Broker - redisCpu).TotalMicroseconds / sizes.ScaleOperations));

            redisCpu = CpuMeter.Read().Broker;
            clock.Restart();
            var taken = 0;
            await Parallel.ForAsync(0, sizes.Concurrency, async (_, _) =>
            {
                // Bounded: each loop stops once K messages are taken in all, or the queue is empty.
                while (Interlocked.Increment(ref taken) <= sizes.ScaleOperations)
                {
                    var reserved = await queue.ReserveAsync(1, Lease);
                    if (reserved.Messages.Count == 0)
                        return;
                    await queue.AcknowledgeAsync(reserved.Messages[0].Id, reserved.Messages[0].LeaseToken);
                }
            });
            figures.Add(new Measurement(Section, "scale", $"reserve one + acknowledge, {sizes.Concurrency} consumers (msg/s)", column,
                sizes.ScaleOperations / clock.Elapsed.TotalSeconds));
            figures.Add(new Measurement(Section, "scale", "Redis CPU per reserve + acknowledge (µs)", column,
                (CpuMeter.Read().Broker - redisCpu).TotalMicroseconds / sizes.ScaleOperations));
        }

        return figures;
    }

    /// <summary>Deletes both queues.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var queue in new[] { _small, _large })
        {
            if (queue is null)
                continue;
            await queue.DeleteAsync();
            await queue.DisposeAsync();
        }

        if (_connection is not null)
            await _connection.DisposeAsync();
    }

    QueueMessage NewMessage()
    {
        var number = Interlocked.Increment(ref _next);
        return new QueueMessage($"s{number}", _body, new MessagePriority((Urgency)(1 + number % 5), BenchMessage.RankedEventTypes[number % 3]));
    }

    async Task FillAsync(RedisPriorityQueue queue, int count)
    {
        await Parallel.ForAsync(0, (count + FillBatch - 1) / FillBatch, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (batch, _) =>
        {
            var size = Math.Min(FillBatch, count - batch * FillBatch);
            await queue.EnqueueBatchAsync(Enumerable.Range(0, size).Select(_ => NewMessage()).ToArray());
        });
    }
}

/// <summary>
/// (f) Redis footprint: memory per waiting message (INFO used_memory delta over N messages, and MEMORY USAGE of the
/// keys) for the engine's layout against a minimal layout (sorted set + one id→body hash), and the commands an
/// idle consumer costs per second (INFO stats and commandstats deltas).
/// </summary>
public sealed class FootprintWorkload(BenchmarkRedis redis, WorkloadSizes sizes)
{
    /// <summary>The report section.</summary>
    public const string Section = "Redis footprint";

    /// <summary>Body size of the footprint messages.</summary>
    public const int BodyBytes = 200;

    static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        ["Content-Type"] = "application/json",
        ["MT-MessageType"] = "urn:message:Bench:Event",
    };

    /// <summary>Memory per waiting message, engine and minimal layout.</summary>
    public async Task<IReadOnlyList<Measurement>> MeasureMemoryAsync()
    {
        var connection = redis.Connection;
        var database = connection.GetDatabase();
        var body = new byte[BodyBytes];
        var headersBytes = Headers.Sum(pair => pair.Key.Length + pair.Value.Length + 4);
        var figures = new List<Measurement>();

        figures.AddRange(await MeasureEngineLayoutAsync("engine layout (32-char id, 2 headers)", body, headersBytes));
        figures.AddRange(await MeasureTransportAsync());

        // The floor: the same ids in a sorted set and in one hash of the queue, id -> body, without any metadata.
        var tag = "{footprint-raw}";
        var before = await UsedMemoryAsync();
        for (var start = 0; start < sizes.FootprintMessages; start += 1_000)
        {
            var batch = database.CreateBatch();
            var writes = new List<Task>();
            for (var i = start; i < Math.Min(sizes.FootprintMessages, start + 1_000); i++)
            {
                var id = Guid.NewGuid().ToString("N");
                writes.Add(batch.HashSetAsync($"raw:{tag}:bodies", id, body));
                writes.Add(batch.SortedSetAddAsync($"raw:{tag}:ready", id, i));
            }

            batch.Execute();
            await Task.WhenAll(writes);
        }

        var rawPerMessage = (double)(await UsedMemoryAsync() - before) / sizes.FootprintMessages;
        figures.Add(Figure("minimal layout (sorted set + id→body hash)", $"bytes per waiting message ({BodyBytes}-byte body, INFO used_memory delta)", rawPerMessage));
        figures.Add(Figure("minimal layout (sorted set + id→body hash)", "bytes per message beyond the body", rawPerMessage - BodyBytes));
        await DeleteByPatternAsync($"raw:{tag}:*");
        return figures;
    }

    /// <summary>
    /// What a message sent through the transport really costs: <c>UsingRedis</c> sends <see cref="BenchMessage"/>s to a
    /// queue nobody consumes; the body is MassTransit's JSON envelope, the headers those the transport stores.
    /// </summary>
    async Task<IReadOnlyList<Measurement>> MeasureTransportAsync()
    {
        const string column = "UsingRedis transport (BenchMessage envelope)";
        const string prefix = "fpt:";
        var queueName = "footprint-transport-" + Guid.NewGuid().ToString("N")[..8];
        var services = new ServiceCollection();
        services.AddMassTransit(x => x.UsingRedis((_, cfg) =>
        {
            cfg.Host(redis.Configuration);
            cfg.KeyPrefix = prefix;
            cfg.RankEventTypes(BenchMessage.RankedEventTypes);
        }));
        await using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync();
        try
        {
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queueName}"));
            var before = await UsedMemoryAsync();
            for (var start = 0; start < sizes.FootprintMessages; start += 500)
            {
                var count = Math.Min(500, sizes.FootprintMessages - start);
                await Task.WhenAll(Enumerable.Range(start, count).Select(i => endpoint.Send(new BenchMessage
                {
                    Number = i, Urgency = 1 + i % 5, EventType = BenchMessage.RankedEventTypes[i % 3], PublishedTimestamp = i,
                })));
            }

            var perMessage = (double)(await UsedMemoryAsync() - before) / sizes.FootprintMessages;
            var queue = new RedisPriorityQueue(redis.Connection, queueName, new PriorityQueueSettings { KeyPrefix = prefix });
            var sample = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
            var headerBytes = sample.Headers.Sum(pair => System.Text.Encoding.UTF8.GetByteCount(pair.Key) + System.Text.Encoding.UTF8.GetByteCount(pair.Value));
            Console.WriteLine($"  transport message: {sample.Body.Length}-byte envelope, headers {string.Join(", ", sample.Headers.Keys)}");
            await queue.DeleteAsync();
            await queue.DisposeAsync();
            return
            [
                Figure(column, $"bytes per waiting message ({BodyBytes}-byte body, INFO used_memory delta)", perMessage),
                Figure(column, "bytes per message beyond the body", perMessage - sample.Body.Length),
                Figure(column, "body: the MassTransit envelope (bytes)", sample.Body.Length),
                Figure(column, "transport headers stored per message (name + value bytes)", headerBytes),
            ];
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    async Task<IReadOnlyList<Measurement>> MeasureEngineLayoutAsync(string column, byte[] body, int headersBytes)
    {
        var database = redis.Connection.GetDatabase();
        var queue = new RedisPriorityQueue(redis.Connection, "footprint-" + Guid.NewGuid().ToString("N")[..8], RawEngineContender.Settings);
        var before = await UsedMemoryAsync();
        for (var start = 0; start < sizes.FootprintMessages; start += 1_000)
        {
            var count = Math.Min(1_000, sizes.FootprintMessages - start);
            await queue.EnqueueBatchAsync(Enumerable.Range(start, count)
                .Select(i => new QueueMessage(Guid.NewGuid().ToString("N"), body,
                    new MessagePriority((Urgency)(1 + i % 5), BenchMessage.RankedEventTypes[i % 3]), Headers)).ToArray());
        }

        var perMessage = (double)(await UsedMemoryAsync() - before) / sizes.FootprintMessages;
        var keyBase = $"{RawEngineContender.Settings.KeyPrefix}{{{queue.Name}}}:{queue.Name}:";
        var readySetUsage = (long?)await database.ExecuteAsync("MEMORY", "USAGE", keyBase + "ready", "SAMPLES", "0");
        var messagesHashUsage = (long?)await database.ExecuteAsync("MEMORY", "USAGE", keyBase + "messages", "SAMPLES", "0");
        await queue.DeleteAsync();
        await queue.DisposeAsync();
        return
        [
            Figure(column, $"bytes per waiting message ({BodyBytes}-byte body, INFO used_memory delta)", perMessage),
            Figure(column, "bytes per message beyond the body", perMessage - BodyBytes),
            Figure(column, $"bytes beyond body and headers ({headersBytes} B packed)", perMessage - BodyBytes - headersBytes),
            Figure(column, "MEMORY USAGE of the ready sorted set, per message", (readySetUsage ?? double.NaN) / sizes.FootprintMessages),
            Figure(column, "MEMORY USAGE of the messages hash, per message", (messagesHashUsage ?? double.NaN) / sizes.FootprintMessages),
        ];
    }

    /// <summary>Commands per second of idle raw-engine consumers: one reserve loop, and sixteen.</summary>
    public async Task<IReadOnlyList<Measurement>> MeasureIdleAsync()
    {
        var figures = new List<Measurement>();
        foreach (var loops in new[] { 1, sizes.Concurrency })
        {
            await using var connection = await redis.ConnectAgainAsync();
            var queue = new RedisPriorityQueue(connection, "idle-" + Guid.NewGuid().ToString("N")[..8], RawEngineContender.Settings);
            using var stop = new CancellationTokenSource();
            var consumers = Enumerable.Range(0, loops).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                    await queue.ReserveOrWaitAsync(1, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), stop.Token);
            })).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // let the first reserves and the subscription settle
            var before = await CommandCountersAsync();
            var clock = Stopwatch.StartNew();
            await Task.Delay(sizes.IdleWindow);
            var after = await CommandCountersAsync();
            var seconds = clock.Elapsed.TotalSeconds;
            await stop.CancelAsync();
            try
            {
                await Task.WhenAll(consumers);
            }
            catch (OperationCanceledException)
            {
                // A reserve in progress when the loops stop gives up; nothing to clean.
            }

            await queue.DisposeAsync();
            var column = $"idle engine consumer, {loops} reserve loop{(loops == 1 ? "" : "s")}";
            // The INFO calls that read the counters count themselves: take them out.
            figures.Add(Figure(column, "client round trips (EVALSHA/EVAL) per second", (after.Scripts - before.Scripts) / seconds));
            figures.Add(Figure(column, "all commands per second, script-internal ones included", (after.Total - before.Total - 2) / seconds));
        }

        figures.AddRange(await MeasureIdleTransportAsync());
        return figures;
    }

    /// <summary>
    /// Commands per second of an idle <c>UsingRedis</c> bus with one receive endpoint (16 slots). The bus has its own
    /// temporary endpoint for responses too, so two endpoints wait.
    /// </summary>
    async Task<IReadOnlyList<Measurement>> MeasureIdleTransportAsync()
    {
        var services = new ServiceCollection();
        services.AddMassTransit(x => x.UsingRedis((_, cfg) =>
        {
            cfg.Host(redis.Configuration);
            cfg.KeyPrefix = "idle:";
            cfg.ReceiveEndpoint("idle-endpoint", endpoint =>
            {
                endpoint.ConcurrentMessageLimit = sizes.Concurrency;
                endpoint.Handler<BenchMessage>(_ => Task.CompletedTask);
            });
        }));
        await using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // let the endpoints start and subscribe
            var before = await CommandCountersAsync();
            var clock = Stopwatch.StartNew();
            await Task.Delay(sizes.IdleWindow);
            var after = await CommandCountersAsync();
            var seconds = clock.Elapsed.TotalSeconds;
            const string column = "idle UsingRedis bus: 1 receive endpoint + the bus endpoint";
            return
            [
                Figure(column, "client round trips (EVALSHA/EVAL) per second", (after.Scripts - before.Scripts) / seconds),
                Figure(column, "all commands per second, script-internal ones included", (after.Total - before.Total - 2) / seconds),
            ];
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    Measurement Figure(string column, string metric, double value) =>
        new(Section, "footprint", metric, column, value, ShowRatio: false);

    async Task<long> UsedMemoryAsync()
    {
        // Deleted queues are freed in the background (UNLINK): wait, at most a minute, until nothing is pending.
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var info = (await redis.Server.InfoAsync("memory")).SelectMany(g => g).ToArray();
            var pending = info.FirstOrDefault(p => p.Key == "lazyfree_pending_objects").Value;
            if (pending is null or "0")
                return long.Parse(info.First(p => p.Key == "used_memory").Value, CultureInfo.InvariantCulture);
            await Task.Delay(100);
        }

        throw new TimeoutException("Redis still had objects to free in the background after a minute; memory figures would be wrong.");
    }

    async Task<(long Total, long Scripts)> CommandCountersAsync()
    {
        var info = (await redis.Server.InfoAsync("all")).SelectMany(g => g).ToArray();
        var total = long.Parse(info.First(p => p.Key == "total_commands_processed").Value, CultureInfo.InvariantCulture);
        long scripts = 0;
        foreach (var name in new[] { "cmdstat_evalsha", "cmdstat_eval" })
        {
            var value = info.FirstOrDefault(p => p.Key == name).Value;
            if (value is null)
                continue;
            // Format: calls=N,usec=...,...
            var calls = value.Split(',')[0];
            scripts += long.Parse(calls[(calls.IndexOf('=') + 1)..], CultureInfo.InvariantCulture);
        }

        return (total, scripts);
    }

    async Task DeleteByPatternAsync(string pattern)
    {
        var database = redis.Connection.GetDatabase();
        var keys = new List<RedisKey>();
        await foreach (var key in redis.Server.KeysAsync(pattern: pattern, pageSize: 1_000))
        {
            keys.Add(key);
            if (keys.Count == 1_000)
            {
                await database.KeyDeleteAsync(keys.ToArray());
                keys.Clear();
            }
        }

        if (keys.Count > 0)
            await database.KeyDeleteAsync(keys.ToArray());
    }
}

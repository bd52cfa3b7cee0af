using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using StackExchange.Redis;

namespace RedisPriorityTransport.Benchmarks.Micro;

/// <summary>A queue and the raw keys beside it on the benchmark Redis, emptied before and after a benchmark class runs.</summary>
/// <param name="name">The queue name, and the stem of the raw keys.</param>
public abstract class EngineBenchmarkBase(string name)
{
    /// <summary>The engine queue under test.</summary>
    protected RedisPriorityQueue _queue = null!;

    /// <summary>The database the raw baselines write to.</summary>
    protected IDatabase _database = null!;

    /// <summary>The keys the raw baselines use.</summary>
    protected readonly RawKeys _rawKeys = RawKeys.For(name);

    /// <summary>A counter for fresh message ids.</summary>
    protected long _next;

    /// <summary>Connects and empties the server.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var redis = MicroBenchmarkServer.Redis;
        redis.Server.FlushDatabase();
        _database = redis.Connection.GetDatabase();
        _queue = new RedisPriorityQueue(redis.Connection, name, MicroBenchmarkServer.Settings);
    }

    /// <summary>Drops what the benchmarks wrote.</summary>
    [GlobalCleanup]
    public void Cleanup() => MicroBenchmarkServer.Redis.Server.FlushDatabase();
}

/// <summary>
/// Enqueue through <see cref="RedisPriorityQueue"/> (one Lua script per call) against the same writes as raw commands.
/// Each benchmark is one round trip to a loopback Redis, so the figures are mostly network and server time.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EnqueueBenchmarks() : EngineBenchmarkBase("enqueue")
{
    const int BatchSize = 100;

    /// <summary>Raw HSET + ZADD, pipelined: the floor for one enqueue.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("enqueue one")]
    public Task RawHashSetAndSortedSetAdd() => MicroBenchmarkServer.RawEnqueueAsync(_database, _rawKeys, ++_next);

    /// <summary><see cref="RedisPriorityQueue.EnqueueAsync"/> of one message.</summary>
    [Benchmark, BenchmarkCategory("enqueue one")]
    public Task EngineEnqueue() => _queue.EnqueueAsync(MicroBenchmarkServer.NewMessage(++_next));

    /// <summary>Raw HSET + ZADD for 100 messages, all pipelined.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("enqueue batch of 100")]
    public Task RawPipelinedBatch()
    {
        var writes = new Task[BatchSize];
        for (var i = 0; i < BatchSize; i++)
            writes[i] = MicroBenchmarkServer.RawEnqueueAsync(_database, _rawKeys, ++_next);
        return Task.WhenAll(writes);
    }

    /// <summary><see cref="RedisPriorityQueue.EnqueueBatchAsync"/> of 100 messages: one script call.</summary>
    [Benchmark, BenchmarkCategory("enqueue batch of 100")]
    public Task EngineEnqueueBatch()
    {
        var messages = new QueueMessage[BatchSize];
        for (var i = 0; i < BatchSize; i++)
            messages[i] = MicroBenchmarkServer.NewMessage(++_next);
        return _queue.EnqueueBatchAsync(messages);
    }
}

/// <summary>
/// Reserve one message and acknowledge it through the engine (two scripts: lease, delivery count, token check) against
/// the raw floor (ZPOPMIN, then HGETALL + DEL pipelined: two round trips, no lease). Each iteration starts with a
/// refilled queue, so every invocation finds a message.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(InvocationsPerIteration)]
public class ReserveBenchmarks() : EngineBenchmarkBase("reserve")
{
    const int InvocationsPerIteration = 1024;

    /// <summary>Puts enough messages in the raw sorted set for one iteration.</summary>
    [IterationSetup(Target = nameof(RawPopAndDelete))]
    public void FillRaw()
    {
        var writes = new List<Task>();
        for (var i = 0; i < InvocationsPerIteration + 16; i++)
            writes.Add(MicroBenchmarkServer.RawEnqueueAsync(_database, _rawKeys, ++_next));
        Task.WhenAll(writes).GetAwaiter().GetResult();
    }

    ReservedMessage? _held;

    /// <summary>Puts enough messages in the engine's queue for one iteration.</summary>
    [IterationSetup(Targets = [nameof(EngineReserveAndAcknowledge), nameof(EngineAcknowledgeAndReserveInOneCall)])]
    public void FillEngine()
    {
        var messages = Enumerable.Range(0, InvocationsPerIteration + 16).Select(_ => MicroBenchmarkServer.NewMessage(++_next)).ToArray();
        _queue.EnqueueBatchAsync(messages).GetAwaiter().GetResult();
        _held = _queue.ReserveAsync(1, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult().Messages.Single();
    }

    /// <summary>ZPOPMIN, then read and delete the hash: the floor for taking and finishing one message.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> RawPopAndDelete()
    {
        var popped = await _database.SortedSetPopAsync(_rawKeys.Ready);
        if (popped is not { } entry)
            throw new InvalidOperationException("The raw queue ran dry; the iteration setup did not fill it.");
        var key = _rawKeys.MessagePrefix + entry.Element;
        var read = _database.HashGetAllAsync(key);
        var delete = _database.KeyDeleteAsync(key);
        await Task.WhenAll(read, delete);
        return read.Result.Length;
    }

    /// <summary><see cref="RedisPriorityQueue.ReserveAsync"/> of one message, then <see cref="RedisPriorityQueue.AcknowledgeAsync"/>.</summary>
    [Benchmark]
    public async Task<int> EngineReserveAndAcknowledge()
    {
        var reserved = await _queue.ReserveAsync(1, TimeSpan.FromSeconds(30));
        if (reserved.Messages.Count == 0)
            throw new InvalidOperationException("The engine queue ran dry; the iteration setup did not fill it.");
        var message = reserved.Messages[0];
        await _queue.AcknowledgeAsync(message.Id, message.LeaseToken);
        return message.Body.Length;
    }

    /// <summary>
    /// The transport's steady state with one slot: <see cref="RedisPriorityQueue.AcknowledgeAndReserveAsync"/> settles
    /// the message held since the last invocation and reserves the next, one round trip per message.
    /// </summary>
    [Benchmark]
    public async Task<int> EngineAcknowledgeAndReserveInOneCall()
    {
        var held = _held ?? throw new InvalidOperationException("The iteration setup reserved no message.");
        var result = await _queue.AcknowledgeAndReserveByTokenAsync([(held.Id, held.LeaseToken)], 1, TimeSpan.FromSeconds(30));
        if (result.Reserved.Messages.Count == 0)
            throw new InvalidOperationException("The engine queue ran dry; the iteration setup did not fill it.");
        _held = result.Reserved.Messages[0];
        return _held.Body.Length;
    }
}

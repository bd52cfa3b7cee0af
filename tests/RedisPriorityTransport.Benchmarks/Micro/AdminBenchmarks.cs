using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace RedisPriorityTransport.Benchmarks.Micro;

/// <summary>
/// The admin API over one queue of 1,000,000 ready messages (plus 1,000 in its error queue and a full audit stream of
/// 10,000 entries): listing and browsing must not grow with the queue. Besides BenchmarkDotNet's round-trip times, the
/// setup prints (and writes to artifacts/admin-redis-time.md) the Redis time of each call, read from SLOWLOG with a
/// threshold of 0, when the benchmark started its own Redis.
/// </summary>
[MemoryDiagnoser]
public class AdminBenchmarks
{
    const string QueueName = "admin-bench";
    const int Messages = 1_000_000;
    const int ErrorMessages = 1_000;
    const int AuditEntries = 10_000;

    IPriorityQueueAdmin _admin = null!;
    IPriorityQueueAdmin _adminSamplingMemory = null!;
    string _middleCursor = null!;
    string _someId = null!;
    int _flip;

    /// <summary>Fills the queue, its error queue and its audit stream, then measures the Redis time of each call.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var redis = MicroBenchmarkServer.Redis;
        var settings = MicroBenchmarkServer.Settings;
        _admin = PriorityQueueAdmin.Create(redis.Connection, settings);
        _adminSamplingMemory = PriorityQueueAdmin.Create(redis.Connection, settings, new PriorityQueueAdminOptions { MemoryCacheDuration = TimeSpan.Zero });
        // BenchmarkDotNet runs the setup once per benchmark: the queue is filled (and the Redis time measured) once.
        var database = redis.Connection.GetDatabase();
        if (database.SortedSetLength(ReadyKey) != Messages || !database.KeyExists(AuditKey))
        {
            redis.Server.FlushDatabase();
            FillAsync(redis.Connection, settings).GetAwaiter().GetResult();
            _measured = false;
        }

        FindCursorAsync(database).GetAwaiter().GetResult();
        if (!_measured)
            MeasureRedisTimeAsync(redis).GetAwaiter().GetResult();
        _measured = true;
    }

    static bool _measured;

    static string ReadyKey => $"{MicroBenchmarkServer.Settings.KeyPrefix}{{{QueueName}}}:{QueueName}:ready";

    static string AuditKey => $"{MicroBenchmarkServer.Settings.KeyPrefix}{{{QueueName}}}:{QueueName}:audit";

    static async Task FillAsync(IConnectionMultiplexer connection, PriorityQueueSettings settings)
    {
        var clock = Stopwatch.StartNew();
        await using var queue = new RedisPriorityQueue(connection, QueueName, settings);
        var body = Encoding.UTF8.GetBytes("""{"messageId":"x","messageType":["urn:message:Bench:OrderPlaced"],"message":{"orderId":42,"amount":9.5}}""");
        for (var start = 0; start < Messages + ErrorMessages; start += 1000)
        {
            var batch = Enumerable.Range(start, 1000).Select(i => new QueueMessage($"m{i}", body,
                new MessagePriority((Urgency)(i % 11), (i % 3) switch { 0 => "alert", 1 => "transaction", _ => "log" }))).ToArray();
            await queue.EnqueueBatchAsync(batch);
        }

        // The first 1,000 in delivery order fail into the error queue.
        var held = (await queue.ReserveAsync(ErrorMessages, TimeSpan.FromHours(1))).Messages;
        await Task.WhenAll(held.Select(m => queue.MoveAsync(m.Id, m.LeaseToken, queue.ErrorQueueName, "benchmark fault")));
        var admin = PriorityQueueAdmin.Create(connection, settings);
        // Changes of ready messages near the head, which the browse and message benchmarks do not touch.
        var ids = (await connection.GetDatabase().SortedSetRangeByRankAsync(ReadyKey, 0, AuditEntries - 1)).Select(id => (string)id!).ToArray();
        foreach (var chunk in ids.Chunk(100))
            await Task.WhenAll(chunk.Select(id => admin.ChangePriorityAsync(QueueName, id, Urgency.Critical, "bench", "fill the history")));
        Console.WriteLine($"// admin benchmark: {Messages:N0} ready, {ErrorMessages:N0} error, {AuditEntries:N0} audit entries written in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    async Task FindCursorAsync(IDatabase database)
    {
        var middle = await database.SortedSetRangeByRankWithScoresAsync(ReadyKey, 500_000, 500_000);
        // The browse cursor's documented-internal form: state, score and id of the last message seen, base64url.
        _middleCursor = Convert.ToBase64String(Encoding.UTF8.GetBytes(
                $"0:{middle[0].Score.ToString("R", CultureInfo.InvariantCulture)}:{middle[0].Element}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _someId = middle[0].Element!;
    }

    async Task MeasureRedisTimeAsync(Infrastructure.BenchmarkRedis redis)
    {

        if (!redis.OwnsServer)
        {
            Console.WriteLine("// admin benchmark: Redis time not measured (the server was given, its configuration is left alone)");
            return;
        }

        await redis.Server.ExecuteAsync("CONFIG", "SET", "slowlog-log-slower-than", "0");
        await redis.Server.ExecuteAsync("CONFIG", "SET", "slowlog-max-len", "10000");
        var report = new StringBuilder("| call (queue of 1,000,000) | Redis time per call, µs | commands sent per call |\n|---|---:|---:|\n");
        foreach (var (name, call) in Calls())
        {
            await call();
            await redis.Server.ExecuteAsync("SLOWLOG", "RESET");
            const int repeat = 20;
            for (var i = 0; i < repeat; i++)
                await call();
            // SLOWLOG also lists the commands a script runs, inside the script's own time: only what the client sent counts.
            var entries = ((RedisResult[])(await redis.Server.ExecuteAsync("SLOWLOG", "GET", "10000"))!)
                .Select(entry => (RedisResult[])entry!)
                .Where(entry => ClientCommands.Contains((string)((RedisResult[])entry[3]!)[0]!))
                .ToArray();
            var micros = entries.Sum(entry => (long)entry[2]);
            report.Append(CultureInfo.InvariantCulture, $"| {name} | {micros / (double)repeat:0} | {entries.Length / (double)repeat:0.#} |\n");
        }

        await redis.Server.ExecuteAsync("CONFIG", "SET", "slowlog-log-slower-than", "10000");
        Console.WriteLine(report);
        var artifacts = Path.Combine(Directory.GetCurrentDirectory(), "artifacts");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "admin-redis-time.md"), report.ToString());
    }

    static readonly HashSet<string> ClientCommands = new(["evalsha", "eval", "smembers", "sismember", "sadd", "memory"], StringComparer.OrdinalIgnoreCase);

    IEnumerable<(string Name, Func<Task> Call)> Calls() =>
    [
        ("GetQueuesAsync (memory cached)", GetQueues),
        ("GetQueuesAsync (memory sampled)", GetQueuesSamplingMemory),
        ("BrowseAsync ready, first page of 50", BrowseFirstPage),
        ("BrowseAsync ready, page of 50 at position 500,000", BrowseMiddlePage),
        ("BrowseAsync ready, urgency 0..3 (end of the set)", BrowseLowBand),
        ("BrowseAsync ready, sparse message-type filter (scans 1,000)", BrowseSparseFilter),
        ("BrowseAsync error, first page of 50", BrowseErrors),
        ("GetMessageAsync", GetMessage),
        ("ChangePriorityAsync (with its audit entry)", ChangePriority),
        ("GetHistoryAsync, page of 50", History),
        ("GetMessageHistoryAsync (a message with about 20 entries in a stream of 10,000)", MessageHistory),
    ];

    /// <summary>Lists the queues; memory from the 30 s cache.</summary>
    [Benchmark]
    public Task GetQueues() => _admin.GetQueuesAsync();

    /// <summary>Lists the queues sampling memory on every call (MEMORY USAGE … SAMPLES 5 on twelve keys).</summary>
    [Benchmark]
    public Task GetQueuesSamplingMemory() => _adminSamplingMemory.GetQueuesAsync();

    /// <summary>The first 50 ready messages.</summary>
    [Benchmark]
    public Task BrowseFirstPage() => _admin.BrowseAsync(QueueName, MessageState.Ready);

    /// <summary>50 ready messages from the middle of the queue, by cursor.</summary>
    [Benchmark]
    public Task BrowseMiddlePage() => _admin.BrowseAsync(QueueName, MessageState.Ready, cursor: _middleCursor);

    /// <summary>50 ready messages of urgency 0..3, which stand at the end of the delivery order.</summary>
    [Benchmark]
    public Task BrowseLowBand() => _admin.BrowseAsync(QueueName, MessageState.Ready, new MessageFilter { MaxUrgency = Urgency.Low });

    /// <summary>A filter nothing matches: the page examines its scan limit of 1,000 messages and returns a cursor.</summary>
    [Benchmark]
    public Task BrowseSparseFilter() => _admin.BrowseAsync(QueueName, MessageState.Ready, new MessageFilter { MessageType = "NoSuchType" });

    /// <summary>The first 50 messages of the error queue.</summary>
    [Benchmark]
    public Task BrowseErrors() => _admin.BrowseAsync(QueueName, MessageState.Error);

    /// <summary>One message whole.</summary>
    [Benchmark]
    public Task GetMessage() => _admin.GetMessageAsync(QueueName, _someId);

    /// <summary>A priority change and its audit entry, one script.</summary>
    [Benchmark]
    public Task ChangePriority() => _admin.ChangePriorityAsync(QueueName, _someId, (Urgency)(++_flip % 11), "bench", "benchmark");

    /// <summary>The newest 50 audit entries.</summary>
    [Benchmark]
    public Task History() => _admin.GetHistoryAsync(QueueName);

    /// <summary>One message's history, read through the audit index.</summary>
    [Benchmark]
    public Task MessageHistory() => _admin.GetMessageHistoryAsync(QueueName, _someId);

}

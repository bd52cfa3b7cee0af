using RedisPriorityTransport.Benchmarks.Infrastructure;
using StackExchange.Redis;

namespace RedisPriorityTransport.Benchmarks.Micro;

/// <summary>
/// The one Redis the micro-benchmarks of a process share (they run in process), started on first use and stopped when
/// the process exits. Also builds the messages and raw-command baselines the engine benchmarks compare with.
/// </summary>
public static class MicroBenchmarkServer
{
    static readonly Lazy<BenchmarkRedis> Shared = new(() =>
    {
        var redis = BenchmarkRedis.StartAsync().GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => redis.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return redis;
    });

    /// <summary>The shared server.</summary>
    public static BenchmarkRedis Redis => Shared.Value;

    /// <summary>The ranking every benchmark queue uses.</summary>
    public static PriorityQueueSettings Settings { get; } = new()
    {
        KeyPrefix = "bench:",
        Ranking = new EventTypeRanking(["alert", "transaction", "log"]),
    };

    /// <summary>A 200-byte body, about the size of a small JSON event.</summary>
    public static ReadOnlyMemory<byte> Body { get; } = Enumerable.Range(0, 200).Select(i => (byte)('a' + i % 26)).ToArray();

    /// <summary>Two headers, as a transport would add (content type and message type).</summary>
    public static IReadOnlyDictionary<string, string> Headers { get; } = new Dictionary<string, string>
    {
        ["Content-Type"] = "application/json",
        ["MT-MessageType"] = "urn:message:Bench:Event",
    };

    /// <summary>A message with a fresh id.</summary>
    public static QueueMessage NewMessage(long number) =>
        new($"m{number}", Body, new MessagePriority((Urgency)(1 + number % 5), (number % 3) switch { 0 => "alert", 1 => "transaction", _ => "log" }), Headers);

    /// <summary>
    /// The raw baseline of one enqueue: HSET of the same fields the engine stores and ZADD of a score computed here,
    /// sent pipelined (one round trip, no atomicity, no duplicate check, no Redis-side sequence).
    /// </summary>
    public static Task RawEnqueueAsync(IDatabaseAsync database, RawKeys keys, long number)
    {
        var id = $"m{number}";
        var urgency = 1 + (int)(number % 5);
        var rank = (int)(number % 3);
        var hash = database.HashSetAsync(keys.MessagePrefix + id,
        [
            new HashEntry("b", Body), new HashEntry("h", "x"), new HashEntry("u", urgency), new HashEntry("r", rank),
            new HashEntry("t", 0), new HashEntry("d", 0), new HashEntry("s", number),
        ]);
        var ready = database.SortedSetAddAsync(keys.Ready, id, PriorityScore.Encode((Urgency)urgency, rank, number));
        return Task.WhenAll(hash, ready);
    }
}

/// <summary>Keys of the raw-command baseline: a sorted set and one hash per message, like the engine's layout.</summary>
/// <param name="Ready">The sorted set of waiting ids.</param>
/// <param name="MessagePrefix">Prefix of each message hash.</param>
public sealed record RawKeys(string Ready, string MessagePrefix)
{
    /// <summary>Keys under one hash tag named <paramref name="name"/>.</summary>
    public static RawKeys For(string name) => new($"raw:{{{name}}}:ready", $"raw:{{{name}}}:m:");
}

using System.Diagnostics;
using RedisPriorityTransport.Benchmarks.Infrastructure;
using StackExchange.Redis;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>
/// (g) The round-trip floor: what one script call costs over StackExchange.Redis alone, with no queue, no MassTransit
/// and no work in the script (<c>return 1</c>, with a body-sized argument), at 1, 4 and 64 callers each awaiting its
/// call. The transport's cost per message is a fixed part plus a part per script call (docs/benchmarks.md); this
/// workload measures the smallest that per-call part can be on the machine, on the connection settings the transport
/// uses (<see cref="SocketManager.ThreadPool"/>).
/// </summary>
public sealed class RoundTripFloorWorkload(BenchmarkRedis redis, WorkloadSizes sizes)
{
    /// <summary>The report section.</summary>
    public const string Section = "Round-trip floor (StackExchange.Redis alone)";

    /// <summary>The argument's size: about the JSON envelope of a <see cref="BenchMessage"/>.</summary>
    public const int ArgumentBytes = 1_100;

    /// <summary>How many callers await a call at once, one column each.</summary>
    public static readonly int[] Callers = [1, 4, 64];

    /// <summary>Measures every caller count once.</summary>
    public async Task<IReadOnlyList<Measurement>> RunAsync(int round)
    {
        var options = ConfigurationOptions.Parse(redis.Configuration);
        options.SocketManager = SocketManager.ThreadPool;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var database = connection.GetDatabase();
        var argument = new byte[ArgumentBytes];
        Random.Shared.NextBytes(argument);
        var script = await LuaScript.Prepare("return 1").LoadAsync(connection.GetServer(connection.GetEndPoints()[0]));
        RedisKey[] keys = ["{floor}:key"];
        RedisValue[] arguments = [argument];

        var figures = new List<Measurement>();
        foreach (var callers in Callers)
        {
            var callsEach = Math.Max(1, sizes.RoundTripCalls / callers);
            // Warm the JIT and the pool's threads with a tenth of the calls before measuring.
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(() => CallAsync(Math.Max(1, callsEach / 10)))));

            GC.Collect();
            var redisBefore = await CpuMeter.ReadRedisAsync();
            var (userBefore, systemBefore) = ProcessCpu.Read();
            var (voluntaryBefore, involuntaryBefore) = ProcessCpu.ContextSwitches();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(() => CallAsync(callsEach))));
            clock.Stop();
            var (userAfter, systemAfter) = ProcessCpu.Read();
            var (voluntaryAfter, involuntaryAfter) = ProcessCpu.ContextSwitches();
            var redisSpent = (await CpuMeter.ReadRedisAsync()).Since(redisBefore);

            double calls = callsEach * callers;
            var column = callers == 1 ? "1 caller" : $"{callers} callers";
            var clientMicroseconds = (userAfter - userBefore + systemAfter - systemBefore).TotalMicroseconds;
            figures.Add(Figure(round, column, "script calls per second", calls / clock.Elapsed.TotalSeconds));
            figures.Add(Figure(round, column, "client CPU per call (µs)", clientMicroseconds / calls));
            figures.Add(Figure(round, column, "Redis CPU per call (µs)", (redisSpent.UserSeconds + redisSpent.SystemSeconds) * 1e6 / calls));
            figures.Add(Figure(round, column, "context switches per call (voluntary + involuntary)",
                (voluntaryAfter - voluntaryBefore + involuntaryAfter - involuntaryBefore) / calls));
        }

        return figures;

        async Task CallAsync(int count)
        {
            for (var i = 0; i < count; i++)
                await database.ScriptEvaluateAsync(script.Hash, keys, arguments);
        }
    }

    static Measurement Figure(int round, string column, string metric, double value) =>
        new(Section, "round-trip", metric, column, value, ShowRatio: false, Round: round);
}

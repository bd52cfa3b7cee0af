using System.Diagnostics;
using StackExchange.Redis;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>
/// CPU time used so far by this process (producers, consumers, MassTransit, the Redis client) and by the broker
/// processes (the redis-server the benchmark started, RabbitMQ's beam.smp). On a shared, noisy machine the CPU a
/// message costs varies far less than the wall-clock throughput, so the report shows both.
/// </summary>
public static class CpuMeter
{
    /// <summary>The benchmark's own redis-server, when it started one (a shared server's CPU is not the benchmark's).</summary>
    public static int? RedisProcessId { get; set; }

    /// <summary>The benchmark's Redis, whose command counters tell how many scripts and wake-ups a run cost.</summary>
    public static IServer? Redis { get; set; }

    /// <summary>The Redis's <c>INFO cpu</c> and <c>INFO commandstats</c> now; empty when there is no Redis to ask.</summary>
    public static async Task<RedisStats> ReadRedisAsync()
    {
        if (Redis is null)
            return RedisStats.Empty;
        var info = await Redis.InfoRawAsync("cpu") + await Redis.InfoRawAsync("commandstats");
        return RedisStats.Parse(info);
    }

    /// <summary>CPU used so far by RabbitMQ's beam.smp processes (zero when none runs).</summary>
    public static TimeSpan ReadRabbitMq()
    {
        var total = TimeSpan.Zero;
        foreach (var process in Process.GetProcessesByName("beam.smp"))
        {
            using (process)
            {
                try
                {
                    total += process.TotalProcessorTime;
                }
                catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Exited between the listing and the read, or not ours to read.
                }
            }
        }

        return total;
    }

    /// <summary>CPU used so far by this process and by the broker processes.</summary>
    public static (TimeSpan Client, TimeSpan Broker) Read()
    {
        using var self = Process.GetCurrentProcess();
        var broker = TimeSpan.Zero;
        var brokers = Process.GetProcessesByName("beam.smp").ToList();
        if (RedisProcessId is { } redis)
        {
            try
            {
                brokers.Add(Process.GetProcessById(redis));
            }
            catch (ArgumentException)
            {
                // Not running any more.
            }
        }

        foreach (var process in brokers)
        {
            using (process)
            {
                try
                {
                    broker += process.TotalProcessorTime;
                }
                catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Exited between the listing and the read, or not ours to read: it costs nothing more.
                }
            }
        }

        return (self.TotalProcessorTime, broker);
    }
}

using System.Diagnostics;
using System.Globalization;
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

    /// <summary>Script calls (EVALSHA and EVAL) and PUBLISH calls the benchmark's Redis has served so far.</summary>
    public static async Task<(long Scripts, long Publishes)> ReadRedisCallsAsync()
    {
        if (Redis is null)
            return (0, 0);
        var info = (await Redis.InfoAsync("commandstats")).SelectMany(g => g).ToArray();
        long Calls(string name)
        {
            // Format: calls=N,usec=...
            var value = info.FirstOrDefault(p => p.Key == name).Value;
            if (value is null)
                return 0;
            var calls = value.Split(',')[0];
            return long.Parse(calls[(calls.IndexOf('=') + 1)..], CultureInfo.InvariantCulture);
        }

        return (Calls("cmdstat_evalsha") + Calls("cmdstat_eval"), Calls("cmdstat_publish"));
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

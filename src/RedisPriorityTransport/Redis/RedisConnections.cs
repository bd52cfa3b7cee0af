using StackExchange.Redis;

namespace RedisPriorityTransport.Redis;

/// <summary>How the connections the library opens itself are set up.</summary>
internal static class RedisConnections
{
    /// <summary>
    /// Socket reads complete on the .NET thread pool instead of StackExchange.Redis's dedicated threads. Every message
    /// costs a few round trips, and on a small machine the hop from the dedicated reader threads to the pool that runs
    /// the continuation dominated: the burst benchmark measured 1.5–2.5× the throughput and half the client CPU per
    /// message with it (docs/benchmarks.md). A caller who passes a configuration with its own socket manager, or an
    /// <see cref="IConnectionMultiplexer"/>, keeps its choice.
    /// </summary>
    public static SocketManager DefaultSocketManager => SocketManager.ThreadPool;
}

using RedisPriorityTransport.TestSupport;
using System.Diagnostics;

namespace RedisPriorityTransport.Tests.Infrastructure;

/// <summary>
/// A local Redis Cluster of three masters (no replicas) on free loopback ports, created with
/// <c>redis-cli --cluster create</c> once for the test classes of <see cref="RedisClusterCollection"/> and torn down
/// after them. Without <c>redis-server</c> or <c>redis-cli</c> the tests that use it are skipped with that reason.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    /// <summary>The xunit collection whose classes share the cluster.</summary>
    public const string CollectionName = "Redis Cluster";

    const int Masters = 3;
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    readonly List<LocalRedisProcess> _nodes = [];
    RedisServerHandle? _server;
    string? _skipReason;

    /// <summary>The cluster's nodes.</summary>
    public IReadOnlyList<LocalRedisProcess> Nodes => _nodes;

    /// <summary>The cluster as a test server (a cluster-aware connection); skips the calling test when there is none.</summary>
    public Task<RedisServerHandle> GetServerAsync() =>
        _server is not null ? Task.FromResult(_server) : throw new SkipTestException(_skipReason ?? "The Redis Cluster did not start.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var cli = RedisServerProcess.FindExecutable("redis-cli");
        if (cli is null || RedisServerProcess.FindExecutable("redis-server") is null)
        {
            _skipReason = "Redis Cluster tests need redis-server and redis-cli on the PATH (Debian: apt-get install -y redis-server).";
            return;
        }

        var clock = Stopwatch.StartNew();
        _nodes.AddRange(await Task.WhenAll(Enumerable.Range(0, Masters).Select(_ => LocalRedisProcess.StartClusterNodeAsync())));
        await RunAsync(cli, ["--cluster", "create", .. _nodes.Select(n => n.Configuration), "--cluster-replicas", "0", "--cluster-yes"]);
        await Eventually.HoldsAsync(AllNodesSeeAHealthyClusterAsync, Patience, "every node to report cluster_state:ok with all slots assigned");
        var configuration = string.Join(',', _nodes.Select(n => n.Configuration));
        _server = await RedisServerHandle.ConnectAsync(configuration, $"Redis Cluster of {Masters} masters ({configuration})", stop: null);
        Console.WriteLine($"Redis Cluster {configuration} ready in {clock.Elapsed.TotalSeconds:0.0} s.");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.Connection.DisposeAsync();
        foreach (var node in _nodes)
            await node.DisposeAsync();
    }

    async Task<bool> AllNodesSeeAHealthyClusterAsync()
    {
        foreach (var node in _nodes)
        {
            var info = await node.CommandAsync("CLUSTER", "INFO");
            if (!info.Contains("cluster_state:ok") || !info.Contains("cluster_slots_assigned:16384"))
                return false;
        }

        return true;
    }

    static async Task RunAsync(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{executable} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await output}{await error}");
    }
}

/// <summary>The test classes that share one <see cref="RedisClusterFixture"/>.</summary>
[CollectionDefinition(RedisClusterFixture.CollectionName)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>;

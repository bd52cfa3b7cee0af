using System.Diagnostics;
using RedisPriorityTransport.TestSupport;
using StackExchange.Redis;

namespace RedisPriorityTransport.Benchmarks.Infrastructure;

/// <summary>
/// Where the benchmarks' Redis comes from: the address in <c>REDIS_TEST_CONFIGURATION</c> when set, else a
/// <c>redis-server</c> child process on a free loopback port, without persistence, stopped when disposed.
/// </summary>
public sealed class BenchmarkRedis : IAsyncDisposable
{
    /// <summary>The environment variable naming an existing Redis (for example <c>127.0.0.1:6379</c>).</summary>
    public const string ConfigurationVariable = "REDIS_TEST_CONFIGURATION";

    readonly Process? _serverProcess;

    BenchmarkRedis(string configuration, string source, ConnectionMultiplexer connection, Process? serverProcess)
    {
        Configuration = configuration;
        Source = source;
        Connection = connection;
        _serverProcess = serverProcess;
    }

    /// <summary>A StackExchange.Redis configuration string for the server.</summary>
    public string Configuration { get; }

    /// <summary>True when this process started the server, so it may change the server's configuration.</summary>
    public bool OwnsServer => _serverProcess is not null;

    /// <summary>The process id of the server the benchmark started, or null when it uses one given to it.</summary>
    public int? ServerProcessId => _serverProcess?.Id;

    /// <summary>Where the server came from, for the report.</summary>
    public string Source { get; }

    /// <summary>An admin-enabled connection (INFO, MEMORY USAGE, FLUSHDB).</summary>
    public ConnectionMultiplexer Connection { get; }

    /// <summary>The server, for INFO and MEMORY commands.</summary>
    public IServer Server => Connection.GetServers()[0];

    /// <summary>Connects to <c>REDIS_TEST_CONFIGURATION</c> or starts a local redis-server.</summary>
    public static async Task<BenchmarkRedis> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConfigurationVariable);
        if (!string.IsNullOrWhiteSpace(configured))
            return new BenchmarkRedis(configured, $"{ConfigurationVariable}={configured}", await ConnectAsync(configured), null);

        var executable = RedisServerProcess.FindExecutable()
            ?? throw new InvalidOperationException(
                $"The benchmarks need Redis: set {ConfigurationVariable} to a server's address or install redis-server (Debian: apt-get install -y redis-server).");
        var port = RedisServerProcess.FreeLoopbackPort();
        var process = RedisServerProcess.Start(executable, RedisServerProcess.LoopbackArguments(port));
        await RedisServerProcess.WaitUntilListeningAsync(process, port, TimeSpan.FromSeconds(30));
        var configuration = $"127.0.0.1:{port}";
        var connection = await ConnectAsync(configuration);
        return new BenchmarkRedis(configuration, $"redis-server pid {process.Id} on {configuration}", connection, process);
    }

    /// <summary>Opens a further connection to the same server (each contender gets its own).</summary>
    public Task<ConnectionMultiplexer> ConnectAgainAsync() => ConnectAsync(Configuration);

    /// <summary>The <c>redis_version</c> the server reports.</summary>
    public async Task<string> GetVersionAsync()
    {
        var info = await Server.InfoAsync("server");
        return info.SelectMany(group => group).FirstOrDefault(pair => pair.Key == "redis_version").Value ?? "unknown";
    }

    /// <summary>Closes the connection and stops the server if this instance started it.</summary>
    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        if (_serverProcess is { HasExited: false })
        {
            _serverProcess.Kill(entireProcessTree: true);
            await _serverProcess.WaitForExitAsync();
        }

        _serverProcess?.Dispose();
    }

    static async Task<ConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AllowAdmin = true;
        options.AbortOnConnectFail = false;
        // As the library does for the connections it opens (see RedisConnections): the raw engine is measured the same way.
        options.SocketManager = SocketManager.ThreadPool;
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        await connection.GetDatabase().PingAsync();
        return connection;
    }
}

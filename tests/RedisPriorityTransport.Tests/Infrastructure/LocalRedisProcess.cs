using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RedisPriorityTransport.TestSupport;

namespace RedisPriorityTransport.Tests.Infrastructure;

/// <summary>
/// A <c>redis-server</c> child process on a free loopback port with its own data directory (no persistence unless
/// the extra arguments turn it on). It can be killed, shut down and restarted on the same port and directory, which is
/// what the fault tests need; every instance still running when the test process exits is killed.
/// </summary>
public sealed class LocalRedisProcess : IAsyncDisposable
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    static readonly ConcurrentDictionary<LocalRedisProcess, bool> Running = new();

    readonly string _executable;
    readonly string[] _arguments;
    Process _process;

    static LocalRedisProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var server in Running.Keys)
            server.Stop();
    };

    LocalRedisProcess(string executable, int port, string dataDirectory, string[] arguments)
    {
        _executable = executable;
        Port = port;
        DataDirectory = dataDirectory;
        _arguments = arguments;
        _process = Launch();
        Running[this] = true;
    }

    /// <summary>The loopback port the server listens on; a restart keeps it.</summary>
    public int Port { get; }

    /// <summary>The server's own directory (<c>--dir</c>): AOF files and cluster node files live here.</summary>
    public string DataDirectory { get; }

    /// <summary>The configuration string of the server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>The current server process id (a restart changes it).</summary>
    public int ProcessId => _process.Id;

    /// <summary>True while the server process runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Starts a server and waits until it answers PING (60 s at most).</summary>
    /// <param name="extraArguments">More redis-server arguments, for example to turn on AOF; later ones override earlier ones.</param>
    public static Task<LocalRedisProcess> StartAsync(params string[] extraArguments) =>
        StartOnAsync(RedisServerProcess.FreeLoopbackPort(), extraArguments);

    /// <summary>
    /// Starts a Redis Cluster node (not yet part of a cluster) on a port whose cluster bus port (+10000) is free too.
    /// </summary>
    public static Task<LocalRedisProcess> StartClusterNodeAsync(params string[] extraArguments) =>
        StartOnAsync(FreeLoopbackPortWithClusterBus(),
            ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000", .. extraArguments]);

    static async Task<LocalRedisProcess> StartOnAsync(int port, string[] extraArguments)
    {
        var executable = RedisServerProcess.FindExecutable()
            ?? throw new InvalidOperationException(
                "The tests need Redis: set REDIS_TEST_CONFIGURATION to a server's address, run a Docker engine, or install redis-server (Debian: apt-get install -y redis-server).");
        var directory = Directory.CreateTempSubdirectory($"rpt-redis-{port}-").FullName;
        string[] arguments = [.. RedisServerProcess.LoopbackArguments(port), "--dir", directory, .. extraArguments];
        var server = new LocalRedisProcess(executable, port, directory, arguments);
        try
        {
            await server.WaitUntilAnsweringAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Starts the server again on the same port and directory (it must have stopped) and waits until it answers.</summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
            throw new InvalidOperationException($"redis-server on port {Port} is still running (pid {ProcessId}).");
        _process.Dispose();
        _process = Launch();
        await WaitUntilAnsweringAsync();
    }

    /// <summary>Kills the server with SIGKILL, as a crash would, and waits until it is gone.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        if (!_process.WaitForExit(30_000))
            throw new TimeoutException($"redis-server pid {ProcessId} did not exit within 30 s of SIGKILL.");
    }

    /// <summary>Stops the server with SHUTDOWN (it writes and syncs its AOF first) and waits until it is gone.</summary>
    public async Task ShutdownAsync()
    {
        try
        {
            await RespProbe.SendAsync(Port, "SHUTDOWN");
        }
        catch (Exception exception) when (exception is IOException or SocketException or EndOfStreamException)
        {
            // SHUTDOWN closes the connection instead of answering.
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Sends one command over a fresh connection and returns the reply as text (see <see cref="RespProbe"/>).</summary>
    public Task<string> CommandAsync(params string[] command) => RespProbe.SendAsync(Port, command);

    /// <summary>Kills the server (if running).</summary>
    public void Stop()
    {
        Running.TryRemove(this, out _);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Kills the server and deletes its directory.</summary>
    public ValueTask DisposeAsync()
    {
        Stop();
        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }

        return ValueTask.CompletedTask;
    }

    Process Launch() => RedisServerProcess.Start(_executable, _arguments, DataDirectory);

    // A listening socket is not enough: while loading its AOF the server answers -LOADING.
    async Task WaitUntilAnsweringAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} before answering on port {Port}.");
            try
            {
                last = await RespProbe.SendAsync(Port, "PING");
                if (last == "PONG")
                    return;
            }
            catch (Exception exception) when (exception is IOException or SocketException or EndOfStreamException)
            {
                last = exception.Message;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"redis-server on port {Port} did not answer PING within {StartTimeout.TotalSeconds} s (last: {last}).");
    }

    static int FreeLoopbackPortWithClusterBus()
    {
        // The cluster bus listens on port + 10000, so both must be free and the port below 55536.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 45_000);
            if (IsFree(port) && IsFree(port + 10_000))
                return port;
        }

        throw new InvalidOperationException("Found no free loopback port pair (port, port + 10000) for a cluster node.");
    }

    static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

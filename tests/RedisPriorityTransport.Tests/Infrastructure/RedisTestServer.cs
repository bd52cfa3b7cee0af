using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;
using Testcontainers.Redis;

namespace RedisPriorityTransport.Tests.Infrastructure;

/// <summary>
/// The one place that decides where the tests' Redis comes from: the address in <c>REDIS_TEST_CONFIGURATION</c> when
/// set; else a Testcontainers Redis when a Docker engine answers; else a <c>redis-server</c> process started on a free
/// loopback port and stopped when the test run ends. One server serves the whole run; tests keep apart by key prefix.
/// </summary>
public static class RedisTestServer
{
    /// <summary>The environment variable that points the tests at an existing Redis.</summary>
    public const string ConfigurationVariable = "REDIS_TEST_CONFIGURATION";

    static readonly Lazy<Task<RedisServerHandle>> Shared = new(StartAsync);

    /// <summary>The shared server, started on first use.</summary>
    public static Task<RedisServerHandle> GetAsync() => Shared.Value;

    /// <summary>A fresh key prefix, so a test's keys never meet another test's.</summary>
    public static string NewKeyPrefix() => $"t{Guid.NewGuid():N}:";

    static async Task<RedisServerHandle> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConfigurationVariable);
        if (!string.IsNullOrWhiteSpace(configured))
            return await RedisServerHandle.ConnectAsync(configured, "environment variable " + ConfigurationVariable, stop: null);

        if (DockerEngineMayAnswer())
        {
            try
            {
                var container = new RedisBuilder("redis:7.0").Build();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await container.StartAsync(timeout.Token);
                return await RedisServerHandle.ConnectAsync(container.GetConnectionString(), "Testcontainers",
                    () => container.DisposeAsync().AsTask());
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                Console.Error.WriteLine($"Testcontainers could not start Redis ({exception.GetType().Name}: {exception.Message}); starting a local redis-server instead.");
            }
        }

        var process = await LocalRedisProcess.StartAsync();
        return await RedisServerHandle.ConnectAsync(process.Configuration, $"redis-server pid {process.ProcessId} on {process.Configuration}",
            () => { process.Stop(); return Task.CompletedTask; });
    }

    static bool DockerEngineMayAnswer()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrEmpty(host))
            return true;
        const string socket = "/var/run/docker.sock";
        if (!File.Exists(socket))
            return false;
        try
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            probe.Connect(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>A running Redis for tests: its configuration string and a shared connection.</summary>
public sealed class RedisServerHandle
{
    RedisServerHandle(string configuration, string source, ConnectionMultiplexer connection)
    {
        Configuration = configuration;
        Source = source;
        Connection = connection;
    }

    /// <summary>A StackExchange.Redis configuration string for the server.</summary>
    public string Configuration { get; }

    /// <summary>Where the server came from, for test output.</summary>
    public string Source { get; }

    /// <summary>A connection shared by the tests.</summary>
    public ConnectionMultiplexer Connection { get; }

    internal static async Task<RedisServerHandle> ConnectAsync(string configuration, string source, Func<Task>? stop)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.AllowAdmin = true;
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        await connection.GetDatabase().PingAsync();
        if (stop is not null)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                connection.Dispose();
                stop().GetAwaiter().GetResult();
            };
        }

        Console.WriteLine($"Tests use Redis from {source}.");
        return new RedisServerHandle(configuration, source, connection);
    }
}

/// <summary>A <c>redis-server</c> child process on a free loopback port, without persistence.</summary>
public sealed class LocalRedisProcess
{
    readonly Process _process;

    LocalRedisProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The configuration string of the server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>The server's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts a server and waits until it answers PING (30 s at most).</summary>
    /// <param name="extraArguments">More redis-server arguments, for example to turn on AOF.</param>
    public static async Task<LocalRedisProcess> StartAsync(params string[] extraArguments)
    {
        var executable = FindExecutable("redis-server")
            ?? throw new InvalidOperationException(
                "The tests need Redis: set REDIS_TEST_CONFIGURATION to a server's address, run a Docker engine, or install redis-server (Debian: apt-get install -y redis-server).");
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes" }.Concat(extraArguments))
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new LocalRedisProcess(process, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} before answering on port {port}.");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Kills the server.</summary>
    public void Stop()
    {
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

    static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string? FindExecutable(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator).Concat(["/usr/bin", "/usr/local/bin", "/usr/sbin"])
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }
}

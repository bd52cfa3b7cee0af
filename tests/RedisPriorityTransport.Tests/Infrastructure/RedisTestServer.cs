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
            () => process.DisposeAsync().AsTask());
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

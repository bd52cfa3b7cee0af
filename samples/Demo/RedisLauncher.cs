using System.Diagnostics;
using RedisPriorityTransport.TestSupport;
using Testcontainers.Redis;

namespace Samples.Demo;

/// <summary>
/// Brings a Redis up for the demo: the address in <c>REDIS_CONFIGURATION</c> when set; else a Testcontainers Redis when
/// a Docker engine answers; else a <c>redis-server</c> on a free loopback port, installing Debian's package first when it
/// is missing and we are root.
/// </summary>
public sealed class RedisLauncher : IAsyncDisposable
{
    readonly Func<ValueTask> _stop;

    RedisLauncher(string configuration, string description, Func<ValueTask> stop)
    {
        Configuration = configuration;
        Description = description;
        _stop = stop;
    }

    /// <summary>The StackExchange.Redis configuration string of the server.</summary>
    public string Configuration { get; }

    /// <summary>Where the server came from.</summary>
    public string Description { get; }

    /// <summary>Starts or finds a Redis.</summary>
    public static async Task<RedisLauncher> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("REDIS_CONFIGURATION");
        if (!string.IsNullOrWhiteSpace(configured))
            return new RedisLauncher(configured, "the REDIS_CONFIGURATION environment variable", () => ValueTask.CompletedTask);

        if (File.Exists("/var/run/docker.sock") || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")))
        {
            try
            {
                var container = new RedisBuilder("redis:7.0").Build();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await container.StartAsync(timeout.Token);
                return new RedisLauncher(container.GetConnectionString(), "a Testcontainers Redis", container.DisposeAsync);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                Console.WriteLine($"Docker did not start Redis ({exception.GetType().Name}); using a local redis-server.");
            }
        }

        var executable = RedisServerProcess.FindExecutable() ?? await InstallRedisServerAsync();
        var port = RedisServerProcess.FreeLoopbackPort();
        var process = RedisServerProcess.Start(executable, RedisServerProcess.LoopbackArguments(port));
        await RedisServerProcess.WaitUntilListeningAsync(process, port, TimeSpan.FromSeconds(30));
        return new RedisLauncher($"127.0.0.1:{port}", $"a local redis-server (pid {process.Id}, port {port})", () =>
        {
            if (!process.HasExited)
                process.Kill();
            process.WaitForExit(5000);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Stops the server if the launcher started it.</summary>
    public ValueTask DisposeAsync() => _stop();

    static async Task<string> InstallRedisServerAsync()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
            throw new InvalidOperationException(
                "The demo needs Redis. Install redis-server (Debian/Ubuntu: sudo apt-get install -y redis-server), start Docker, " +
                "or set REDIS_CONFIGURATION to a Redis address such as 127.0.0.1:6379.");
        Console.WriteLine("redis-server is missing; installing Debian's package (apt-get install redis-server) ...");
        foreach (var arguments in new[] { "update", "install -y --no-install-recommends redis-server" })
        {
            var install = new ProcessStartInfo("apt-get", arguments) { UseShellExecute = false };
            install.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var process = Process.Start(install)!;
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"'apt-get {arguments}' failed with exit code {process.ExitCode}.");
        }

        return RedisServerProcess.FindExecutable() ?? throw new InvalidOperationException("redis-server is still missing after installing it.");
    }
}

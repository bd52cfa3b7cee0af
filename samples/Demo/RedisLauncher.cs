using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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

        var executable = FindRedisServer() ?? await InstallRedisServerAsync();
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitForPortAsync(port, process);
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

    static string? FindRedisServer() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/local/bin")
        .Select(directory => Path.Combine(directory, "redis-server")).FirstOrDefault(File.Exists);

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

        return FindRedisServer() ?? throw new InvalidOperationException("redis-server is still missing after installing it.");
    }

    static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static async Task WaitForPortAsync(int port, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode}.");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}

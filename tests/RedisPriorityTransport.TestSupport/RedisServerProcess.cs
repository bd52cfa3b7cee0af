using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RedisPriorityTransport.TestSupport;

/// <summary>
/// Starting a local <c>redis-server</c>, shared by the test fixtures, the demo and the benchmarks: where the executable
/// is, a free loopback port, the arguments of a throw-away server, the process with its output drained, and the wait
/// until it listens.
/// </summary>
public static class RedisServerProcess
{
    /// <summary>The path of <paramref name="name"/> on the PATH (or the usual Debian places), or null.</summary>
    public static string? FindExecutable(string name = "redis-server") =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
        .Concat(["/usr/bin", "/usr/local/bin", "/usr/sbin"])
        .Where(directory => directory.Length > 0)
        .Select(directory => Path.Combine(directory, name))
        .FirstOrDefault(File.Exists);

    /// <summary>A loopback port no one listens on right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The arguments of a server on <paramref name="port"/> of the loopback interface without persistence (later
    /// arguments override these).
    /// </summary>
    public static string[] LoopbackArguments(int port) =>
        ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"];

    /// <summary>Starts <paramref name="executable"/> with <paramref name="arguments"/>, reading and dropping its output.</summary>
    public static Process Start(string executable, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until <paramref name="port"/> accepts a connection, failing early if the process exits.</summary>
    public static async Task WaitUntilListeningAsync(Process process, int port, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} before answering on port {port}.");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(50);
            }
        }
    }
}

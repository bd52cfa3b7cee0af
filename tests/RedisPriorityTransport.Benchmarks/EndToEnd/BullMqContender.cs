using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>
/// BullMQ (Node), the best-known Redis priority queue, on the same Redis and the same workloads: the peer a team would
/// otherwise pick. <c>BullMq/bullmq-bench.mjs</c> runs producers and one worker in a Node process; the first probe
/// installs <c>bullmq</c> and <c>ioredis</c> (versions pinned in <c>BullMq/package.json</c>) with <c>npm install</c>
/// into <c>artifacts/bullmq</c>. Skipped with a note when Node or npm is missing or the install fails.
/// </summary>
/// <param name="redisConfiguration">host:port of the benchmark's Redis.</param>
/// <param name="artifacts">The repository's artifacts folder.</param>
public sealed class BullMqContender(string redisConfiguration, string artifacts) : IExternalContender
{
    const string Script = "bullmq-bench.mjs";
    readonly string _directory = Path.Combine(artifacts, "bullmq");
    string? _node;

    /// <inheritdoc />
    public string Name => "BullMQ (Node)";

    /// <inheritdoc />
    public async Task<string?> ProbeAsync()
    {
        _node = FindOnPath("node");
        var npm = FindOnPath("npm");
        if (_node is null || npm is null)
            return "Node.js (node and npm) is not installed; Debian: apt-get install -y nodejs npm";
        var source = Path.Combine(AppContext.BaseDirectory, "BullMq");
        Directory.CreateDirectory(_directory);
        foreach (var file in new[] { "package.json", Script })
            File.Copy(Path.Combine(source, file), Path.Combine(_directory, file), overwrite: true);
        if (File.Exists(Path.Combine(_directory, "node_modules", "bullmq", "package.json"))
            && File.Exists(Path.Combine(_directory, "node_modules", "ioredis", "package.json")))
            return null;
        Console.WriteLine($"Installing bullmq and ioredis into {_directory} (npm install)");
        var (exitCode, output) = await RunAsync(npm, ["install", "--no-audit", "--no-fund", "--loglevel", "error"], TimeSpan.FromMinutes(5));
        return exitCode == 0 ? null : $"npm install of bullmq failed ({exitCode}): {output.Trim().Split('\n').LastOrDefault()}";
    }

    /// <summary>BullMQ runs whole workloads in its own process; see <see cref="RunExternallyAsync"/>.</summary>
    public Task<IContenderRun> StartRunAsync(RunSpec spec, ConsumptionRecorder recorder) =>
        throw new NotSupportedException("BullMQ runs whole workloads in Node: RunExternallyAsync.");

    /// <inheritdoc />
    public async Task<ExternalRunResult> RunExternallyAsync(ExternalRunRequest request)
    {
        var plan = Path.Combine(_directory, $"plan-{Guid.NewGuid():N}.txt");
        var lines = new StringBuilder();
        foreach (var message in request.Plans)
            lines.Append(CultureInfo.InvariantCulture, $"{message.Urgency},{Array.IndexOf(BenchMessage.RankedEventTypes, message.EventType)},{message.WorkMilliseconds}\n");
        await File.WriteAllTextAsync(plan, lines.ToString());
        try
        {
            var (exitCode, output) = await RunAsync(_node!,
            [
                Script, $"workload={request.Workload}", $"redis={redisConfiguration}", $"producers={request.Producers}",
                $"concurrency={request.Concurrency}", $"rate={request.PacedRatePerSecond}", $"queue=bullmq-{Guid.NewGuid():N}",
                $"plan={plan}", $"timeoutMs={(long)request.Timeout.TotalMilliseconds}",
            ], request.Timeout * 2);
            if (exitCode != 0)
                throw new InvalidOperationException($"node {Script} exited with {exitCode}: {output.Trim()}");
            using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
            var root = json.RootElement;
            double Number(string name) => root.TryGetProperty(name, out var value) ? value.GetDouble() : double.NaN;
            T[] Array<T>(string name, Func<JsonElement, T> read) =>
                root.TryGetProperty(name, out var value) ? value.EnumerateArray().Select(read).ToArray() : [];
            var redis = RedisStats.Parse(root.GetProperty("redisAfter").GetString()!).Since(RedisStats.Parse(root.GetProperty("redisBefore").GetString()!));
            return new ExternalRunResult(root.GetProperty("finished").GetBoolean(), Number("elapsedSeconds"), Number("publishSeconds"),
                TimeSpan.FromMicroseconds(Number("clientUserUs")), TimeSpan.FromMicroseconds(Number("clientSystemUs")),
                (long)Number("commandsSent"), redis, Array("latenciesMs", e => e.GetDouble()), Array("order", e => e.GetInt64()),
                root.TryGetProperty("depth", out var depth) ? depth.GetInt32() : null,
                root.TryGetProperty("criticalLatencyMs", out var latency) ? latency.GetDouble() : null);
        }
        finally
        {
            File.Delete(plan);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    async Task<(int ExitCode, string Output)> RunAsync(string executable, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            WorkingDirectory = _directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(executable)} did not finish within {timeout.TotalSeconds:N0} s.");
        }

        return (process.ExitCode, process.ExitCode == 0 ? await output : await output + await errors);
    }

    static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
        .Append("/usr/bin").Append("/usr/local/bin")
        .Select(directory => Path.Combine(directory, name))
        .FirstOrDefault(File.Exists);
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace RedisPriorityTransport.Tests.Infrastructure;

/// <summary>
/// The crash consumer program (tests/RedisPriorityTransport.CrashConsumer) as a child process, its output lines
/// collected as they come, so a test can wait for a line, kill the process with SIGKILL at that moment, and afterwards
/// read what the process had started and finished. Standard output is written through, so a line printed before the
/// kill is never lost in a buffer.
/// </summary>
public sealed class ConsumerProcess : IDisposable
{
    /// <summary>How long a child may take to start its bus.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    readonly Process _process;
    readonly ConcurrentQueue<string> _lines = new();
    readonly Action<ConsumerProcess, string>? _onLine;
    int _started;
    int _finished;
    bool _disposed;

    ConsumerProcess(Process process, int number, Action<ConsumerProcess, string>? onLine)
    {
        _process = process;
        _onLine = onLine;
        Number = number;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data is null ? null : "stderr: " + e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The operating system's process id.</summary>
    public int Id => _process.Id;

    /// <summary>A number the test gave the process, for its report.</summary>
    public int Number { get; }

    /// <summary>True once the test killed the process.</summary>
    public bool WasKilled { get; private set; }

    /// <summary>True once the process is gone (killed, or it ended itself).</summary>
    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>"started" lines so far.</summary>
    public int StartedCount => Volatile.Read(ref _started);

    /// <summary>"finished" lines so far.</summary>
    public int FinishedCount => Volatile.Read(ref _finished);

    /// <summary>Every line so far, in order.</summary>
    public IReadOnlyList<string> Lines => _lines.ToArray();

    /// <summary>
    /// Starts the program on <paramref name="queue"/> and, unless <paramref name="waitUntilReady"/> is false, waits for
    /// its "ready" line. <paramref name="onLine"/> sees every output line as it arrives (on a reader thread).
    /// </summary>
    public static async Task<ConsumerProcess> StartAsync(string redis, string keyPrefix, string queue, int lockMs,
        int maxDeliveryCount = 10, int concurrency = 1, int number = 0, bool waitUntilReady = true,
        Action<ConsumerProcess, string>? onLine = null)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "RedisPriorityTransport.CrashConsumer.dll");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { program, redis, keyPrefix, queue, lockMs.ToString(), maxDeliveryCount.ToString(), concurrency.ToString() })
            start.ArgumentList.Add(argument);
        var consumer = new ConsumerProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the crash consumer."), number, onLine);
        if (waitUntilReady)
            await consumer.WaitForLineAsync("ready", StartTimeout);
        return consumer;
    }

    /// <summary>Waits until the process printed <paramref name="line"/>; fails if it exits first or the time runs out.</summary>
    public Task WaitForLineAsync(string line, TimeSpan timeout) =>
        WaitUntilAsync(() => _lines.Contains(line), timeout, $"print '{line}'");

    /// <summary>
    /// Waits until <paramref name="condition"/> holds; fails if the process exits first or the time runs out.
    /// <paramref name="whileWaiting"/>, when given, runs between two checks (for example to keep the queue fed).
    /// </summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what, Func<Task>? whileWaiting = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (_process.HasExited && !condition())
                throw new InvalidOperationException($"Consumer process {Number} (pid {Id}) exited ({_process.ExitCode}) before it did {what}: {Tail()}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Consumer process {Number} (pid {Id}) did not {what} within {timeout.TotalSeconds:0} s: {Tail()}");
            if (whileWaiting is not null)
                await whileWaiting();
            await Task.Delay(5);
        }
    }

    /// <summary>Waits until the process has ended by itself.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
    }

    /// <summary>SIGKILL: no graceful stop, no release; the leases of its messages stay behind until they expire.</summary>
    public void KillHard()
    {
        if (_disposed || _process.HasExited)
            return;
        WasKilled = true;
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It ended on its own in the meantime.
        }

        _process.WaitForExit(10_000);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
            return;
        KillHard();
        _disposed = true;
        // The asynchronous readers deliver the last lines after the exit; waiting without a timeout drains them.
        _process.WaitForExit();
        _process.Dispose();
    }

    void Add(string? line)
    {
        if (line is null)
            return;
        if (line.StartsWith("started ", StringComparison.Ordinal))
            Interlocked.Increment(ref _started);
        else if (line.StartsWith("finished ", StringComparison.Ordinal))
            Interlocked.Increment(ref _finished);
        _lines.Enqueue(line);
        _onLine?.Invoke(this, line);
    }

    string Tail() => string.Join(" | ", _lines.TakeLast(20));
}

using System.Collections.Concurrent;

namespace RedisPriorityTransport.Tests.Monitoring;

/// <summary>Holds jobs marked <c>Hold</c> until the test opens it, and records which jobs ran.</summary>
public sealed class JobGate
{
    readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentDictionary<string, bool> Started { get; } = new();

    public ConcurrentQueue<string> Finished { get; } = new();

    public void Open() => _open.TrySetResult();

    public Task WaitOpen() => _open.Task.WaitAsync(TimeSpan.FromSeconds(60));
}

using System.Collections.Concurrent;

namespace RedisPriorityTransport.Dashboard.Tests.Infrastructure;

/// <summary>
/// What the test consumers did: the names they started, in order, per queue; which names should fail; and which queues'
/// handlers are held after they start, so a test decides when the next message may begin instead of racing a timer.
/// </summary>
public sealed class WorkLog
{
    readonly ConcurrentDictionary<string, List<string>> _started = new();
    readonly ConcurrentDictionary<string, List<string>> _completed = new();
    readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new();

    /// <summary>Names whose handling throws (so they land in the error queue) while they are in this set.</summary>
    public ConcurrentDictionary<string, bool> Failing { get; } = new();

    public void Started(string queue, string name) => Add(_started, queue, name);

    public void Completed(string queue, string name) => Add(_completed, queue, name);

    public IReadOnlyList<string> StartedIn(string queue) => Read(_started, queue);

    public IReadOnlyList<string> CompletedIn(string queue) => Read(_completed, queue);

    /// <summary>Holds every handler of <paramref name="queue"/> once it has logged its start, until the returned handle is disposed.</summary>
    public IDisposable Hold(string queue)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_holds.TryAdd(queue, gate))
            throw new InvalidOperationException($"The queue '{queue}' is already held.");
        return new Release(() =>
        {
            _holds.TryRemove(queue, out _);
            gate.TrySetResult();
        });
    }

    /// <summary>Completes when <paramref name="queue"/> is not held (at once when nobody holds it).</summary>
    public Task WhileHeldAsync(string queue, CancellationToken cancellationToken) =>
        _holds.TryGetValue(queue, out var gate) ? gate.Task.WaitAsync(cancellationToken) : Task.CompletedTask;

    static void Add(ConcurrentDictionary<string, List<string>> log, string queue, string name)
    {
        var list = log.GetOrAdd(queue, _ => []);
        lock (list)
            list.Add(name);
    }

    static IReadOnlyList<string> Read(ConcurrentDictionary<string, List<string>> log, string queue)
    {
        if (!log.TryGetValue(queue, out var list))
            return [];
        lock (list)
            return list.ToArray();
    }

    sealed class Release(Action release) : IDisposable
    {
        int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                release();
        }
    }
}

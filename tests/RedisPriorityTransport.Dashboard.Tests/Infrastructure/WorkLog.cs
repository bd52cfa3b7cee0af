using System.Collections.Concurrent;

namespace RedisPriorityTransport.Dashboard.Tests.Infrastructure;

/// <summary>What the test consumers did: the names they started, in order, per queue; and which names should fail.</summary>
public sealed class WorkLog
{
    readonly ConcurrentDictionary<string, List<string>> _started = new();
    readonly ConcurrentDictionary<string, List<string>> _completed = new();

    /// <summary>Names whose handling throws (so they land in the error queue) while they are in this set.</summary>
    public ConcurrentDictionary<string, bool> Failing { get; } = new();

    public void Started(string queue, string name) => Add(_started, queue, name);

    public void Completed(string queue, string name) => Add(_completed, queue, name);

    public IReadOnlyList<string> StartedIn(string queue) => Read(_started, queue);

    public IReadOnlyList<string> CompletedIn(string queue) => Read(_completed, queue);

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
}

using System.Collections.Concurrent;
using MassTransit;

namespace RedisPriorityTransport.Tests.Monitoring;

public record MeteredJob(string Id, bool Hold = false, bool Fail = false);

public record UnconsumedJob(string Id);

/// <summary>Holds jobs marked <c>Hold</c> until the test opens it, and records which jobs ran.</summary>
public sealed class JobGate
{
    readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentDictionary<string, bool> Started { get; } = new();

    public ConcurrentQueue<string> Finished { get; } = new();

    public void Open() => _open.TrySetResult();

    public Task WaitOpen() => _open.Task.WaitAsync(TimeSpan.FromSeconds(60));
}

public sealed class MeteredJobConsumer(JobGate gate) : IConsumer<MeteredJob>
{
    public async Task Consume(ConsumeContext<MeteredJob> context)
    {
        gate.Started[context.Message.Id] = true;
        if (context.Message.Hold)
            await gate.WaitOpen();
        if (context.Message.Fail)
            throw new InvalidOperationException($"Job {context.Message.Id} fails on purpose.");
        gate.Finished.Enqueue(context.Message.Id);
    }
}

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>
/// One way to move <see cref="BenchMessage"/>s from a producer to a handler: the raw engine, MassTransit on some
/// transport, and so on. Every workload runs on every available contender, interleaved, in one process.
/// </summary>
public interface IContender : IAsyncDisposable
{
    /// <summary>Short name for the report's column.</summary>
    string Name { get; }

    /// <summary>Whether the contender can run here: null when it can, else why not (printed in the report).</summary>
    Task<string?> ProbeAsync();

    /// <summary>
    /// Sets up a fresh, empty queue for one workload run and a consumer with <see cref="RunSpec.Concurrency"/> handlers
    /// that call <paramref name="recorder"/>. Consuming begins at once when <see cref="RunSpec.ConsumeImmediately"/> is
    /// true, else at <see cref="IContenderRun.StartConsumingAsync"/>.
    /// </summary>
    Task<IContenderRun> StartRunAsync(RunSpec spec, ConsumptionRecorder recorder);
}

/// <summary>What a workload run asks of a contender.</summary>
/// <param name="QueueName">A queue name unique to the run.</param>
/// <param name="Concurrency">How many handlers may run at once (MassTransit's ConcurrentMessageLimit).</param>
/// <param name="ConsumeImmediately">False to let messages pile up until <see cref="IContenderRun.StartConsumingAsync"/>.</param>
public sealed record RunSpec(string QueueName, int Concurrency, bool ConsumeImmediately);

/// <summary>One workload run on one contender: publish, let consumers go, then tear everything down.</summary>
public interface IContenderRun : IAsyncDisposable
{
    /// <summary>Publishes one message with the message's own priority.</summary>
    Task PublishAsync(BenchMessage message);

    /// <summary>Lets the consumers start handling messages (no-op when they already do).</summary>
    Task StartConsumingAsync();
}

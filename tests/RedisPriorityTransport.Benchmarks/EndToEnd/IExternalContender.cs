namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>
/// A contender that runs a whole workload in another process (BullMQ under Node): the workload hands over the same
/// messages the in-process contenders get and reads back the figures the process measured around its own run.
/// </summary>
public interface IExternalContender : IContender
{
    /// <summary>Runs one workload run to the end in the other process.</summary>
    Task<ExternalRunResult> RunExternallyAsync(ExternalRunRequest request);
}

/// <summary>One workload run for an external contender.</summary>
/// <param name="Workload">burst, paced, inversion or strict-order (the external script's names).</param>
/// <param name="Plans">The messages in publish order; for inversion the last one is the critical message.</param>
/// <param name="Producers">Sends in flight, each producer awaiting its own.</param>
/// <param name="Concurrency">Handlers running at once.</param>
/// <param name="PacedRatePerSecond">The publish rate of the paced workload.</param>
/// <param name="Timeout">The longest the run may take.</param>
public sealed record ExternalRunRequest(string Workload, MessagePlan[] Plans, int Producers, int Concurrency, int PacedRatePerSecond, TimeSpan Timeout);

/// <summary>What the external process measured, around its own run only (its start-up is left out).</summary>
/// <param name="Finished">False when the run timed out.</param>
/// <param name="ElapsedSeconds">Burst: first publish to last handled.</param>
/// <param name="PublishSeconds">Burst and paced: the publishing alone.</param>
/// <param name="ClientUser">The process's user CPU.</param>
/// <param name="ClientSystem">The process's system CPU.</param>
/// <param name="CommandsSent">Every Redis command the process sent (its round trips; a pipelined command counts once).</param>
/// <param name="Redis">What Redis spent meanwhile (INFO cpu, commandstats).</param>
/// <param name="LatenciesMs">Paced: publish → handler start of every message after the first tenth, in ms.</param>
/// <param name="StartOrder">Strict order: message numbers in handler-start order.</param>
/// <param name="InversionDepth">Inversion: handler starts after the critical message's publish and before its own start.</param>
/// <param name="CriticalLatencyMs">Inversion: the critical message's publish → handler start.</param>
public sealed record ExternalRunResult(bool Finished, double ElapsedSeconds, double PublishSeconds, TimeSpan ClientUser, TimeSpan ClientSystem,
    long CommandsSent, RedisStats Redis, double[] LatenciesMs, long[] StartOrder, int? InversionDepth, double? CriticalLatencyMs);

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>One figure from one run of one workload on one contender (or one engine variant).</summary>
/// <param name="Section">The report table the figure belongs to.</param>
/// <param name="Workload">The workload, as named in docs/benchmarks.md.</param>
/// <param name="Metric">What was measured, with its unit.</param>
/// <param name="Column">The contender or variant (the table's column).</param>
/// <param name="Value">The figure; NaN when the run failed or timed out.</param>
/// <param name="ShowRatio">True when a ratio to the reference column means something (throughput, latency).</param>
/// <param name="Round">The interleaved round the figure comes from (ratios are paired per round); -1 when not known.</param>
public sealed record Measurement(string Section, string Workload, string Metric, string Column, double Value, bool ShowRatio = true, int Round = -1);

/// <summary>Sizes of the workloads: the full ones from issue 6, or a quick set for development.</summary>
public sealed record WorkloadSizes
{
    /// <summary>Handlers running at once in the multi-consumer workloads.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Messages of the burst workload.</summary>
    public int BurstMessages { get; init; } = 20_000;

    /// <summary>Concurrent producers publishing a burst or backlog.</summary>
    public int Producers { get; init; } = 4;

    /// <summary>Messages of the paced-latency workload.</summary>
    public int PacedMessages { get; init; } = 10_000;

    /// <summary>Publish rate of the paced-latency workload, messages per second.</summary>
    public int PacedRatePerSecond { get; init; } = 1_000;

    /// <summary>Low-urgency backlog ahead of the critical message.</summary>
    public int InversionBacklog { get; init; } = 20_000;

    /// <summary>Work per backlog message, milliseconds.</summary>
    public int InversionWorkMilliseconds { get; init; } = 1;

    /// <summary>Messages queued before the single consumer of the strict-order workload starts.</summary>
    public int StrictOrderMessages { get; init; } = 5_000;

    /// <summary>Messages waiting in the large queue of the cost-at-scale workload.</summary>
    public int ScaleLargeWaiting { get; init; } = 1_000_000;

    /// <summary>Messages waiting in the small queue of the cost-at-scale workload.</summary>
    public int ScaleSmallWaiting { get; init; } = 1_000;

    /// <summary>Enqueues and reserves measured per cost-at-scale run.</summary>
    public int ScaleOperations { get; init; } = 10_000;

    /// <summary>Messages enqueued to measure memory per waiting message.</summary>
    public int FootprintMessages { get; init; } = 100_000;

    /// <summary>Script calls measured per caller count of the round-trip floor.</summary>
    public int RoundTripCalls { get; init; } = 40_000;

    /// <summary>How long an idle consumer is watched.</summary>
    public TimeSpan IdleWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest one workload run may take before it counts as failed.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>The full sizes from issue 6.</summary>
    public static WorkloadSizes Full { get; } = new();

    /// <summary>Small sizes: the whole benchmark in about a minute.</summary>
    public static WorkloadSizes Quick { get; } = new()
    {
        BurstMessages = 5_000,
        PacedMessages = 1_500,
        InversionBacklog = 3_000,
        StrictOrderMessages = 1_000,
        ScaleLargeWaiting = 100_000,
        ScaleOperations = 2_000,
        FootprintMessages = 10_000,
        RoundTripCalls = 8_000,
        IdleWindow = TimeSpan.FromSeconds(3),
        RunTimeout = TimeSpan.FromSeconds(60),
    };
}

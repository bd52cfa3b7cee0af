using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RedisPriorityTransport;

/// <summary>
/// Settings of the health check that <c>AddRedisPriorityQueueHealthChecks</c> adds for each Redis bus. They bind from the
/// configuration section <see cref="SectionName"/>; the code callback runs after the binding and wins. They are
/// validated when the host starts.
/// </summary>
public sealed class RedisPriorityQueueHealthCheckOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "RedisPriorityQueue:HealthCheck";

    /// <summary>The default name of the check (the check of a second bus gets the bus's name appended).</summary>
    public const string DefaultName = "redis-priority-queue";

    /// <summary>The check's name (default <c>redis-priority-queue</c>).</summary>
    public string Name { get; set; } = DefaultName;

    /// <summary>Tags to filter checks by (default <c>ready</c>, <c>masstransit</c> and <c>redis</c>, as MassTransit tags its bus check).</summary>
    public ISet<string> Tags { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "ready", "masstransit", "redis" };

    /// <summary>How long to wait for Redis to answer PING before the check reports it unreachable (default 2 s, at most 1 minute).</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The priority SLA: when the oldest ready message of the high band (urgency 8–10) of any receive queue of the bus has
    /// waited longer, the check reports <see cref="HealthStatus.Degraded"/> (default 1 minute; null turns the SLA off).
    /// </summary>
    public TimeSpan? HighBandMaxWait { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The status reported when Redis does not answer (default <see cref="HealthStatus.Unhealthy"/>).</summary>
    public HealthStatus FailureStatus { get; set; } = HealthStatus.Unhealthy;
}

using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RedisPriorityTransport.Transport;

namespace RedisPriorityTransport;

/// <summary>
/// The health of one Redis bus: Unhealthy (or the configured failure status) when its Redis does not answer PING in
/// time, Degraded when the oldest high-band message of one of its receive queues has waited past the priority SLA,
/// Healthy otherwise. Reports the PING latency and each queue's oldest high-band wait.
/// </summary>
internal sealed class RedisPriorityQueueHealthCheck(RedisHostConfiguration host, IOptionsMonitor<RedisPriorityQueueHealthCheckOptions> options)
    : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        var failure = context.Registration?.FailureStatus ?? settings.FailureStatus;
        var transport = host.Transport;
        var data = new Dictionary<string, object>();
        TimeSpan latency;
        try
        {
            var connection = await transport.GetConnectionAsync().WaitAsync(settings.PingTimeout, cancellationToken).ConfigureAwait(false);
            if (!connection.IsConnected)
                return new HealthCheckResult(failure, $"Redis at {host.HostAddress} is not connected.", data: data);
            var started = Stopwatch.GetTimestamp();
            await connection.GetDatabase().PingAsync().WaitAsync(settings.PingTimeout, cancellationToken).ConfigureAwait(false);
            latency = Stopwatch.GetElapsedTime(started);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = exception is TimeoutException
                ? $"Redis at {host.HostAddress} did not answer PING within {settings.PingTimeout.TotalMilliseconds:0} ms."
                : $"Redis at {host.HostAddress} did not answer PING: {exception.Message}";
            return new HealthCheckResult(failure, reason, exception, data);
        }

        data["latency_ms"] = Math.Round(latency.TotalMilliseconds, 3);
        var waits = new Dictionary<string, double>(StringComparer.Ordinal);
        data["oldest_high_wait_s"] = waits;
        var late = new List<string>();
        foreach (var queue in transport.ReceiveQueues)
        {
            QueueCounts counts;
            try
            {
                counts = await queue.GetCountsAsync(Monitoring.QueueDepthMonitor.SnapshotMaxAge).WaitAsync(settings.PingTimeout, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The queue stopped, or Redis stopped answering after the PING: the next check tells which.
                continue;
            }

            var wait = counts.OldestReadyAgeByBand[UrgencyBand.High] ?? TimeSpan.Zero;
            waits[queue.Name] = Math.Round(wait.TotalSeconds, 3);
            if (settings.HighBandMaxWait is { } limit && wait > limit)
                late.Add($"'{queue.Name}' {wait.TotalSeconds:0.###} s");
        }

        if (late.Count > 0)
            return HealthCheckResult.Degraded(
                $"The oldest high-band message waited longer than {settings.HighBandMaxWait!.Value.TotalSeconds:0.###} s in {string.Join(", ", late)}.",
                data: data);
        return HealthCheckResult.Healthy($"Redis at {host.HostAddress} answered PING in {latency.TotalMilliseconds:0.#} ms.", data);
    }
}

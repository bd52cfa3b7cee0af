using System.Diagnostics.Metrics;

namespace RedisPriorityTransport.Monitoring;

/// <summary>
/// The transport's instruments on the meter <c>RedisPriorityTransport</c>: what only this transport knows, next to what
/// MassTransit's own meter counts per endpoint. Names follow OpenTelemetry's rules (lowercase dotted names, UCUM units,
/// no <c>_total</c> suffix); docs/operations.md lists each one. Recording costs nothing while nobody listens.
/// </summary>
internal static class TransportMetrics
{
    /// <summary>The meter's name, for <c>AddMeter(...)</c>.</summary>
    public const string MeterName = "RedisPriorityTransport";

    public const string QueueAttribute = "messaging.destination.name";
    public const string BandAttribute = "rpt.band";
    public const string StateAttribute = "rpt.state";
    public const string ReasonAttribute = "rpt.reason";
    public const string ActionAttribute = "rpt.action";

    public const string MessagesName = "rpt.queue.messages";
    public const string OldestAgeName = "rpt.queue.oldest_age";
    public const string WaitDurationName = "rpt.queue.wait.duration";
    public const string DuplicatesDroppedName = "rpt.queue.duplicates_dropped";
    public const string LeasesExpiredName = "rpt.queue.leases_expired";
    public const string DeadLetteredName = "rpt.queue.dead_lettered";
    public const string AdminActionsName = "rpt.queue.admin_actions";

    // Waits range from a millisecond (an idle consumer) to hours (a starved low band): OpenTelemetry's default buckets
    // are meant for milliseconds and would put every wait in seconds above 1 into few buckets.
    static readonly double[] WaitBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    static readonly Meter Meter = new(MeterName, typeof(TransportMetrics).Assembly.GetName().Version?.ToString());

    static readonly Histogram<double> WaitDuration = Meter.CreateHistogram<double>(WaitDurationName, "s",
        "Time from enqueue to the start of the handler, by the Redis server's clock, per queue and band",
#if NET9_0_OR_GREATER
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBuckets });
#else
        tags: null);
#endif

    static readonly Counter<long> DuplicatesDropped = Meter.CreateCounter<long>(DuplicatesDroppedName, "{message}",
        "Messages not enqueued because a message with the same id was already in the queue");

    static readonly Counter<long> LeasesExpired = Meter.CreateCounter<long>(LeasesExpiredName, "{lease}",
        "Leases that expired before their message was settled (the message went back to ready, or to _error on its last delivery)");

    static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(DeadLetteredName, "{message}",
        "Messages moved to the _error or _skipped queue, by reason");

    static readonly Counter<long> AdminActions = Meter.CreateCounter<long>(AdminActionsName, "{action}",
        "Operator actions applied to a queue, by action");

    // Observable: read from Redis when a collection asks, at most once per snapshot age per queue (QueueDepthMonitor).
    static readonly ObservableGauge<long> Messages = Meter.CreateObservableGauge(MessagesName, QueueDepthMonitor.ObserveMessages,
        "{message}", "Messages of a receive endpoint's queue by state (ready per band, delayed, in_flight, error, skipped)");

    static readonly ObservableGauge<double> OldestAge = Meter.CreateObservableGauge(OldestAgeName, QueueDepthMonitor.ObserveOldestAges,
        "s", "How long the oldest ready message of each band has waited (0 when the band is empty)");

    /// <summary>Records the wait of a message whose handler starts now.</summary>
    public static void MessageStarted(ReservedMessage message)
    {
        if (!WaitDuration.Enabled)
            return;
        // Both times are Redis's: the enqueue script's and the reserve script's, so client clock skew cannot distort it.
        var wait = Math.Max(0, (message.ReservedAt - message.EnqueuedAt).TotalSeconds);
        WaitDuration.Record(wait, new KeyValuePair<string, object?>(QueueAttribute, message.QueueName),
            new KeyValuePair<string, object?>(BandAttribute, BandName(UrgencyScale.BandOf(message.Priority.Urgency))));
    }

    /// <summary>Counts messages dropped as duplicates of a message already in <paramref name="queueName"/>.</summary>
    public static void DuplicateDropped(string queueName, long count = 1)
    {
        if (count > 0)
            DuplicatesDropped.Add(count, new KeyValuePair<string, object?>(QueueAttribute, queueName));
    }

    /// <summary>Counts what a reserve's housekeeping did with expired leases.</summary>
    public static void Reclaimed(string queueName, ReclaimResult reclaimed)
    {
        var expired = reclaimed.Returned + reclaimed.DeadLettered;
        if (expired > 0)
            LeasesExpired.Add(expired, new KeyValuePair<string, object?>(QueueAttribute, queueName));
        if (reclaimed.DeadLettered > 0)
            MessageDeadLettered(queueName, DeadLetterReason.MaxDeliveries, reclaimed.DeadLettered);
    }

    /// <summary>Counts messages moved to the error or skipped queue of <paramref name="queueName"/>.</summary>
    public static void MessageDeadLettered(string queueName, DeadLetterReason reason, long count = 1)
    {
        if (count > 0)
            DeadLettered.Add(count, new KeyValuePair<string, object?>(QueueAttribute, queueName),
                new KeyValuePair<string, object?>(ReasonAttribute, ReasonName(reason)));
    }

    /// <summary>Counts one operator action on <paramref name="queueName"/> (called by the admin API after its script ran).</summary>
    public static void AdminAction(string queueName, AuditAction action) =>
        AdminActions.Add(1, new KeyValuePair<string, object?>(QueueAttribute, queueName),
            new KeyValuePair<string, object?>(ActionAttribute, ActionName(action)));

    public static string BandName(UrgencyBand band) => band switch
    {
        UrgencyBand.High => "high",
        UrgencyBand.Normal => "normal",
        _ => "low",
    };

    static string ReasonName(DeadLetterReason reason) => reason switch
    {
        DeadLetterReason.Error => "error",
        DeadLetterReason.Skipped => "skipped",
        _ => "max_deliveries",
    };

    static string ActionName(AuditAction action) => action switch
    {
        AuditAction.ChangePriority => "change_priority",
        AuditAction.Cancel => "cancel",
        AuditAction.Redrive => "redrive",
        AuditAction.Purge => "purge",
        AuditAction.Pause => "pause",
        AuditAction.Resume => "resume",
        AuditAction.SetRateLimit => "set_rate_limit",
        _ => action.ToString().ToLowerInvariant(),
    };

    // The observable instruments exist once the class is initialised; touching them here makes sure they are.
    internal static void EnsureCreated() => GC.KeepAlive(Messages.Enabled && OldestAge.Enabled);
}

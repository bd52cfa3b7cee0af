using OpenTelemetry;
using OpenTelemetry.Metrics;
using RedisPriorityTransport.Monitoring;

namespace RedisPriorityTransport.Tests.Monitoring;

/// <summary>
/// Collects the transport's meter with OpenTelemetry's SDK and in-memory exporter, as an application would export it,
/// and reads single values back by instrument name and attributes.
/// </summary>
public sealed class MetricsCollector : IDisposable
{
    readonly List<MetricSnapshot> _exported = [];
    readonly MeterProvider _provider;

    public MetricsCollector() =>
        _provider = Sdk.CreateMeterProviderBuilder().AddMeter(TransportMetrics.MeterName).AddInMemoryExporter(_exported).Build()!;

    /// <summary>Runs one collection (the observable instruments read Redis now) and returns what it exported.</summary>
    public IReadOnlyList<MetricSnapshot> Collect()
    {
        lock (_exported)
        {
            _exported.Clear();
            _provider.ForceFlush(30_000);
            return _exported.ToList();
        }
    }

    /// <summary>The points of <paramref name="instrument"/> for <paramref name="queueName"/> whose attributes include <paramref name="attributes"/>.</summary>
    public static IEnumerable<MetricPoint> Points(IReadOnlyList<MetricSnapshot> collected, string instrument, string queueName,
        params (string Key, string Value)[] attributes)
    {
        foreach (var metric in collected.Where(m => m.Name == instrument))
        {
            foreach (var point in metric.MetricPoints)
            {
                var tags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                    tags[tag.Key] = tag.Value;
                if (Equals(tags.GetValueOrDefault(TransportMetrics.QueueAttribute), queueName)
                    && attributes.All(a => Equals(tags.GetValueOrDefault(a.Key), a.Value)))
                    yield return point;
            }
        }
    }

    /// <summary>The last value of a gauge of whole numbers, or null when it was not reported.</summary>
    public static long? Gauge(IReadOnlyList<MetricSnapshot> collected, string instrument, string queueName, params (string, string)[] attributes)
    {
        var points = Points(collected, instrument, queueName, attributes).ToList();
        return points.Count == 0 ? null : points.Single().GetGaugeLastValueLong();
    }

    /// <summary>The last value of a gauge of fractions, or null when it was not reported.</summary>
    public static double? GaugeDouble(IReadOnlyList<MetricSnapshot> collected, string instrument, string queueName, params (string, string)[] attributes)
    {
        var points = Points(collected, instrument, queueName, attributes).ToList();
        return points.Count == 0 ? null : points.Single().GetGaugeLastValueDouble();
    }

    /// <summary>The running total of a counter (0 when nothing was counted).</summary>
    public static long Counter(IReadOnlyList<MetricSnapshot> collected, string instrument, string queueName, params (string, string)[] attributes) =>
        Points(collected, instrument, queueName, attributes).Sum(p => p.GetSumLong());

    /// <summary>How many values a histogram recorded, and their sum.</summary>
    public static (long Count, double Sum) Histogram(IReadOnlyList<MetricSnapshot> collected, string instrument, string queueName,
        params (string, string)[] attributes)
    {
        var points = Points(collected, instrument, queueName, attributes).ToList();
        return (points.Sum(p => p.GetHistogramCount()), points.Sum(p => p.GetHistogramSum()));
    }

    public void Dispose() => _provider.Dispose();
}

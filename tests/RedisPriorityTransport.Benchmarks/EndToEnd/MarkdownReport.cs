using System.Globalization;
using System.Text;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>
/// Turns measurements into Markdown tables: per metric and column the median of the runs with min–max, and the ratio
/// of medians to a section's reference column where a ratio means something.
/// </summary>
public sealed class MarkdownReport
{
    readonly List<Measurement> _measurements = [];
    readonly List<string> _notes = [];
    readonly Dictionary<string, (string Reference, string Explanation)> _referenceBySection = [];
    readonly Dictionary<string, List<string>> _columnOrderBySection = [];
    readonly List<(string Numerator, string Denominator)> _pairs = [];

    /// <summary>Adds figures.</summary>
    public void Add(IEnumerable<Measurement> measurements) => _measurements.AddRange(measurements);

    /// <summary>Adds a line under the tables (skipped contenders, failures).</summary>
    public void Note(string note)
    {
        if (!_notes.Contains(note))
            _notes.Add(note);
    }

    /// <summary>Makes <paramref name="column"/> the reference of ratios in <paramref name="section"/>.</summary>
    public void SetReference(string section, string column, string explanation) => _referenceBySection[section] = (column, explanation);

    /// <summary>
    /// Adds a row pair to the paired-ratio table: for every throughput figure, <paramref name="numerator"/> over
    /// <paramref name="denominator"/> computed within each round, then the median of those ratios with min–max.
    /// </summary>
    public void AddPairedRatio(string numerator, string denominator) => _pairs.Add((numerator, denominator));

    /// <summary>Fixes the column order of a section (columns never measured are shown as "skipped").</summary>
    public void SetColumns(string section, IEnumerable<string> columns) => _columnOrderBySection[section] = columns.ToList();

    /// <summary>Every figure as CSV lines: round, workload, metric, column, value (what tests/RedisPriorityTransport.Benchmarks/compare-builds.sh reads).</summary>
    public string ToCsv()
    {
        static string Quote(string text) => $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        var text = new StringBuilder("round,workload,metric,column,value\n");
        foreach (var m in _measurements)
            text.Append(CultureInfo.InvariantCulture, $"{m.Round},{Quote(m.Workload)},{Quote(m.Metric)},{Quote(m.Column)},{m.Value.ToString("R", CultureInfo.InvariantCulture)}\n");
        return text.ToString();
    }

    /// <summary>The whole report, with <paramref name="header"/> lines first.</summary>
    public string Render(IEnumerable<string> header)
    {
        var text = new StringBuilder();
        foreach (var line in header)
            text.AppendLine(line);
        foreach (var section in _measurements.Select(m => m.Section).Distinct())
        {
            var inSection = _measurements.Where(m => m.Section == section).ToArray();
            var columns = _columnOrderBySection.TryGetValue(section, out var order)
                ? order
                : inSection.Select(m => m.Column).Distinct().ToList();
            text.AppendLine().AppendLine($"## {section}").AppendLine();
            if (_referenceBySection.TryGetValue(section, out var reference))
                text.AppendLine($"Median of the runs [min–max]; (×n) = ratio of medians to **{reference.Reference}** ({reference.Explanation}).").AppendLine();
            else
                text.AppendLine("Median of the runs [min–max].").AppendLine();
            text.AppendLine($"| workload | metric | {string.Join(" | ", columns)} |");
            text.AppendLine($"|---|---|{string.Concat(Enumerable.Repeat("---:|", columns.Count))}");
            foreach (var row in inSection.GroupBy(m => (m.Workload, m.Metric)))
            {
                var cells = columns.Select(column => Cell(row.Where(m => m.Column == column).ToArray(), row.ToArray(), section));
                text.AppendLine($"| {row.Key.Workload} | {row.Key.Metric} | {string.Join(" | ", cells)} |");
            }
        }

        RenderPairedRatios(text);
        if (_notes.Count > 0)
        {
            text.AppendLine().AppendLine("## Notes").AppendLine();
            foreach (var note in _notes)
                text.AppendLine($"- {note}");
        }

        return text.ToString();
    }

    string Cell(Measurement[] figures, Measurement[] row, string section)
    {
        if (figures.Length == 0)
            return "skipped";
        var values = figures.Select(f => f.Value).Where(v => !double.IsNaN(v)).Order().ToArray();
        if (values.Length == 0)
            return "failed";
        var median = Median(values);
        var cell = values.Length == 1 ? Format(median) : $"{Format(median)} [{Format(values[0])}–{Format(values[^1])}]";
        if (values.Length < figures.Length)
            cell += $" ({figures.Length - values.Length} failed)";
        if (figures[0].ShowRatio && _referenceBySection.TryGetValue(section, out var reference) && figures[0].Column != reference.Reference)
        {
            var paired = PairedRatios(figures, row.Where(m => m.Column == reference.Reference).ToArray());
            var referenceValues = row.Where(m => m.Column == reference.Reference && !double.IsNaN(m.Value)).Select(m => m.Value).Order().ToArray();
            if (paired.Length > 0)
                cell += $" (×{Ratio(Median(paired))})";
            else if (referenceValues.Length > 0 && Median(referenceValues) != 0)
                cell += $" (×{Ratio(median / Median(referenceValues))})";
        }

        return cell;
    }

    /// <summary>Per round in which both have a figure: numerator / denominator, sorted.</summary>
    static double[] PairedRatios(IEnumerable<Measurement> numerators, IReadOnlyCollection<Measurement> denominators) =>
        numerators.Where(n => n.Round >= 0 && !double.IsNaN(n.Value))
            .Select(n => (n.Value, Denominator: denominators.FirstOrDefault(d => d.Round == n.Round && !double.IsNaN(d.Value) && d.Value != 0)))
            .Where(p => p.Denominator is not null)
            .Select(p => p.Value / p.Denominator!.Value)
            .Order().ToArray();

    void RenderPairedRatios(StringBuilder text)
    {
        var rows = new List<string>();
        foreach (var group in _measurements.Where(m => m.Metric.StartsWith("throughput", StringComparison.Ordinal)).GroupBy(m => (m.Workload, m.Metric)))
        {
            foreach (var (numerator, denominator) in _pairs)
            {
                var ratios = PairedRatios(group.Where(m => m.Column == numerator), group.Where(m => m.Column == denominator).ToArray());
                if (ratios.Length == 0)
                    continue;
                var each = string.Join(", ", ratios.Select(Ratio));
                rows.Add($"| {group.Key.Workload} | {numerator} / {denominator} | ×{Ratio(Median(ratios))} [{Ratio(ratios[0])}–{Ratio(ratios[^1])}] | {ratios.Length} | {each} |");
            }
        }

        if (rows.Count == 0)
            return;
        text.AppendLine().AppendLine("## Paired ratios").AppendLine();
        text.AppendLine("Throughput of one contender over another's, computed within each round (the two ran minutes apart at most), then the median of the rounds [min–max].").AppendLine();
        text.AppendLine("| workload | ratio | median [min–max] | rounds | each round, sorted |");
        text.AppendLine("|---|---|---:|---:|---|");
        foreach (var row in rows)
            text.AppendLine(row);
    }

    static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The median of sorted values.</summary>
    public static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;

    static string Format(double value) => Math.Abs(value) switch
    {
        _ when value == Math.Round(value) => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}

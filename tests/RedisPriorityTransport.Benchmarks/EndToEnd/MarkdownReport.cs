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

    /// <summary>Fixes the column order of a section (columns never measured are shown as "skipped").</summary>
    public void SetColumns(string section, IEnumerable<string> columns) => _columnOrderBySection[section] = columns.ToList();

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
            var referenceValues = row.Where(m => m.Column == reference.Reference && !double.IsNaN(m.Value)).Select(m => m.Value).Order().ToArray();
            if (referenceValues.Length > 0 && Median(referenceValues) != 0)
                cell += $" (×{(median / Median(referenceValues)).ToString("0.00", CultureInfo.InvariantCulture)})";
        }

        return cell;
    }

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

using System.Globalization;
using System.Text;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>
/// Compares two builds measured alternately (compare-builds.sh writes <c>old-N.csv</c> and <c>new-N.csv</c> per round):
/// per figure, the ratio new / old within each round, then the median of the rounds [min–max], next to the medians of
/// each build. Alternating builds in one time window is what makes a ratio trustworthy on a shared machine.
/// </summary>
public static class BuildComparison
{
    /// <summary>The Markdown table for the CSV files in <paramref name="directory"/>.</summary>
    public static string Render(string directory)
    {
        var rounds = Directory.GetFiles(directory, "old-*.csv")
            .Select(file => Path.GetFileNameWithoutExtension(file)["old-".Length..])
            .Where(round => File.Exists(Path.Combine(directory, $"new-{round}.csv")))
            .Order(StringComparer.Ordinal).ToArray();
        var old = rounds.Select(r => Read(Path.Combine(directory, $"old-{r}.csv"))).ToArray();
        var @new = rounds.Select(r => Read(Path.Combine(directory, $"new-{r}.csv"))).ToArray();
        var text = new StringBuilder($"{rounds.Length} rounds, builds alternating; median of each build's figures (each the median of its runs in that round) and of the per-round ratios new / old [min–max].\n\n");
        text.AppendLine("| workload | metric | contender | old | new | new / old |");
        text.AppendLine("|---|---|---|---:|---:|---:|");
        foreach (var key in old.SelectMany(o => o.Keys).Distinct())
        {
            var pairs = Enumerable.Range(0, rounds.Length)
                .Where(i => old[i].ContainsKey(key) && @new[i].ContainsKey(key))
                .Select(i => (Old: old[i][key], New: @new[i][key]))
                .Where(p => !double.IsNaN(p.Old) && !double.IsNaN(p.New))
                .ToArray();
            if (pairs.Length == 0)
                continue;
            var ratios = pairs.Where(p => p.Old != 0).Select(p => p.New / p.Old).Order().ToArray();
            var ratioCell = ratios.Length == 0 ? "–" : $"×{F(MarkdownReport.Median(ratios))} [{F(ratios[0])}–{F(ratios[^1])}]";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {key.Workload} | {key.Metric} | {key.Column} | {F(MarkdownReport.Median(pairs.Select(p => p.Old).Order().ToArray()))} | {F(MarkdownReport.Median(pairs.Select(p => p.New).Order().ToArray()))} | {ratioCell} |");
        }

        return text.ToString();
    }

    // Per (workload, metric, column): the median of the file's runs.
    static Dictionary<(string Workload, string Metric, string Column), double> Read(string path) =>
        File.ReadLines(path).Skip(1).Select(Fields).Where(f => f.Length == 5)
            .GroupBy(f => (f[1], f[2], f[3]))
            .ToDictionary(g => g.Key, g =>
            {
                var values = g.Select(f => double.Parse(f[4], CultureInfo.InvariantCulture)).Where(v => !double.IsNaN(v)).Order().ToArray();
                return values.Length == 0 ? double.NaN : MarkdownReport.Median(values);
            });

    static string[] Fields(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                current.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return [.. fields];
    }

    static string F(double value) => Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.00", CultureInfo.InvariantCulture);
}

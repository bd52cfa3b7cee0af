using System.Globalization;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>
/// What the benchmark's Redis reports in <c>INFO cpu</c> and <c>INFO commandstats</c> at one moment: its user and system
/// CPU, and per command the calls and microseconds (commands a script runs are counted under their own names too).
/// The difference of two snapshots is what a run cost Redis.
/// </summary>
public sealed record RedisStats(double UserSeconds, double SystemSeconds, IReadOnlyDictionary<string, (long Calls, long Microseconds)> Commands)
{
    /// <summary>No figures (no Redis to ask).</summary>
    public static RedisStats Empty { get; } = new(0, 0, new Dictionary<string, (long, long)>());

    /// <summary>Reads the text of <c>INFO cpu</c> followed by <c>INFO commandstats</c> (lines of <c>key:value</c>).</summary>
    public static RedisStats Parse(string info)
    {
        double user = 0, system = 0;
        var commands = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        foreach (var raw in info.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line.StartsWith('#'))
                continue;
            var (key, value) = (line[..colon], line[(colon + 1)..]);
            if (key == "used_cpu_user")
                user = double.Parse(value, CultureInfo.InvariantCulture);
            else if (key == "used_cpu_sys")
                system = double.Parse(value, CultureInfo.InvariantCulture);
            else if (key.StartsWith("cmdstat_", StringComparison.Ordinal))
                commands[key["cmdstat_".Length..]] = (Field(value, "calls"), Field(value, "usec"));
        }

        return new RedisStats(user, system, commands);
    }

    /// <summary>What happened between <paramref name="before"/> and this snapshot.</summary>
    public RedisStats Since(RedisStats before) => new(UserSeconds - before.UserSeconds, SystemSeconds - before.SystemSeconds,
        Commands.ToDictionary(c => c.Key, c =>
        {
            var earlier = before.Commands.GetValueOrDefault(c.Key);
            return (c.Value.Calls - earlier.Calls, c.Value.Microseconds - earlier.Microseconds);
        }, StringComparer.Ordinal));

    /// <summary>Calls of one command (lower case, for example <c>evalsha</c>).</summary>
    public long Calls(string command) => Commands.GetValueOrDefault(command).Calls;

    /// <summary>Script calls: EVALSHA and EVAL.</summary>
    public long ScriptCalls => Calls("evalsha") + Calls("eval");

    /// <summary>Microseconds Redis spent in script calls (the commands the scripts run included).</summary>
    public long ScriptMicroseconds => Commands.GetValueOrDefault("evalsha").Microseconds + Commands.GetValueOrDefault("eval").Microseconds;

    /// <summary>
    /// The commands that did the work, per message, most frequent first: everything but the script calls themselves and
    /// the benchmark's own INFO, for example "zadd 2.0, hset 1.0, incr 1.0".
    /// </summary>
    public string Breakdown(int messages, int top = 10) => string.Join(", ", Commands
        .Where(c => c.Value.Calls > 0 && c.Key is not ("evalsha" or "eval" or "info" or "ping" or "hello" or "client" or "select"))
        .OrderByDescending(c => c.Value.Calls).Take(top)
        .Select(c => $"{c.Key} {(double)c.Value.Calls / messages:0.00}"));

    static long Field(string value, string name)
    {
        foreach (var part in value.Split(','))
        {
            if (part.StartsWith(name + "=", StringComparison.Ordinal))
                return long.Parse(part[(name.Length + 1)..], CultureInfo.InvariantCulture);
        }

        return 0;
    }
}

using System.Globalization;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>
/// User and system CPU of this process from <c>/proc/self/stat</c> (clock ticks, 10 ms on Linux): system time is where
/// socket calls and thread wake-ups show, user time is the client's own code. Elsewhere only the total is known, from
/// <see cref="System.Diagnostics.Process"/>, and it is reported as user time.
/// </summary>
public static class ProcessCpu
{
    const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux the benchmark runs on

    /// <summary>User and system CPU used so far by this process.</summary>
    public static (TimeSpan User, TimeSpan System) Read()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 (utime) and 15 (stime) of proc(5), here at 11 and 12 counting from field 3.
            return (TimeSpan.FromSeconds(long.Parse(fields[11], CultureInfo.InvariantCulture) / TicksPerSecond),
                TimeSpan.FromSeconds(long.Parse(fields[12], CultureInfo.InvariantCulture) / TicksPerSecond));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            return (self.TotalProcessorTime, TimeSpan.Zero);
        }
    }

    /// <summary>
    /// Context switches of the whole process so far (<c>getrusage(RUSAGE_SELF)</c>): voluntary ones (a thread blocked
    /// and was woken again: the waits and hand-overs between threads) and involuntary ones (a runnable thread was
    /// preempted: more threads wanted the cores than there are). Zeros where getrusage is unavailable.
    /// </summary>
    public static (long Voluntary, long Involuntary) ContextSwitches()
    {
        if (!OperatingSystem.IsLinux())
            return (0, 0);
        // struct rusage on 64-bit Linux: two timevals (4 longs), then 14 longs; ru_nvcsw and ru_nivcsw are the last two.
        var usage = new long[18];
        return GetResourceUsage(0, usage) == 0 ? (usage[16], usage[17]) : (0, 0);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    static extern int GetResourceUsage(int who, [System.Runtime.InteropServices.Out] long[] usage);
}

using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RedisPriorityTransport.Benchmarks.EndToEnd;

namespace RedisPriorityTransport.Benchmarks;

/// <summary>
/// Entry point. Without <c>--micro</c> it runs the end-to-end benchmark; see <see cref="Usage"/> and docs/benchmarks.md.
/// </summary>
public static class Program
{
    /// <summary>The command-line help.</summary>
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/RedisPriorityTransport.Benchmarks -- [options]
          (no option)          end-to-end benchmark, full sizes, 3 runs, report to artifacts/benchmarks.md
          --quick              small sizes and 2 runs: about a minute, for development
          --runs N             runs of each workload on each contender (1..20)
          --concurrency N      handlers running at once on every contender (ConcurrentMessageLimit; 1..256, default 16)
          --workloads a,b      only these: burst, burst-64, burst-100, burst-sends, paced, inversion, strict-order, scale,
                               footprint, round-trip
          --contenders a,b     only contenders whose name contains one of these, e.g. "raw,in-memory"
          --output PATH        where to write the Markdown report
          --csv PATH           also write every figure of every run as CSV (round,workload,metric,column,value)
          --include-micro      also run the BenchmarkDotNet micro-benchmarks and append their tables
          --compare DIR        the table of a compare-builds.sh run (old-N.csv, new-N.csv in DIR)
          --micro [BDN args]   only the micro-benchmarks; further arguments go to BenchmarkDotNet (default --filter *)
        Redis: REDIS_TEST_CONFIGURATION=host:port, else a redis-server started on a free loopback port.
        """;

    /// <summary>Runs what the arguments ask for; 0 on success, 2 on a usage error.</summary>
    public static async Task<int> Main(string[] args)
    {
        var quick = args.Contains("--quick");
        var repositoryRoot = FindRepositoryRoot();
        var artifacts = Path.Combine(repositoryRoot, "artifacts");
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(Usage);
            return 0;
        }

        if (args.Length == 2 && args[0] == "--compare")
        {
            Console.WriteLine(BuildComparison.Render(args[1]));
            return 0;
        }

        if (args.Length > 0 && args[0] == "--micro")
        {
            RunMicroBenchmarks(args.Skip(1).Where(a => a != "--quick").ToArray(), quick, artifacts);
            return 0;
        }

        var runs = quick ? 2 : 3;
        var workloads = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var output = Path.Combine(artifacts, "benchmarks.md");
        var contenderFilters = new List<string>();
        string? csv = null;
        int? concurrency = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick" or "--include-micro" or "--e2e":
                    break;
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 20:
                    runs = value;
                    i++;
                    break;
                case "--concurrency" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= 256:
                    concurrency = limit;
                    i++;
                    break;
                case "--workloads" when i + 1 < args.Length:
                    workloads.UnionWith(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--contenders" when i + 1 < args.Length:
                    contenderFilters.AddRange(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--csv" when i + 1 < args.Length:
                    csv = Path.GetFullPath(args[++i]);
                    break;
                case "--output" when i + 1 < args.Length:
                    output = Path.GetFullPath(args[++i]);
                    break;
                default:
                    Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'.");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        var sizes = quick ? WorkloadSizes.Quick : WorkloadSizes.Full;
        if (concurrency is { } handlers)
            sizes = sizes with { Concurrency = handlers };
        var options = new EndToEndOptions(sizes, runs, workloads, output, quick ? "quick" : "full", contenderFilters, artifacts, csv);
        var markdown = await EndToEndRunner.RunAsync(options);
        if (args.Contains("--include-micro"))
            markdown += MicroReport(RunMicroBenchmarks([], quick, artifacts));

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"Report written to {output}");
        return 0;
    }

    static string RunMicroBenchmarks(string[] benchmarkDotNetArgs, bool quick, string artifacts)
    {
        // In process: no separate build of a generated project, and the shared Redis lives in this process.
        var job = (quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
        var path = Path.Combine(artifacts, "BenchmarkDotNet");
        var config = ManualConfig.Create(DefaultConfig.Instance).AddJob(job).WithArtifactsPath(path);
        var arguments = benchmarkDotNetArgs.Any(a => a.StartsWith("--filter", StringComparison.Ordinal))
            ? benchmarkDotNetArgs
            : [.. benchmarkDotNetArgs, "--filter", "*"];
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(arguments, config);
        return Path.Combine(path, "results");
    }

    static string MicroReport(string resultsDirectory)
    {
        if (!Directory.Exists(resultsDirectory))
            return string.Empty;
        var tables = Directory.GetFiles(resultsDirectory, "*-report-github.md").Order()
            .Select(file => $"### {Path.GetFileName(file).Replace("-report-github.md", string.Empty, StringComparison.Ordinal)}\n\n{File.ReadAllText(file)}");
        return "\n## Micro-benchmarks (BenchmarkDotNet)\n\n" + string.Join("\n", tables);
    }

    static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "RedisPriorityTransport.sln")))
                    return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

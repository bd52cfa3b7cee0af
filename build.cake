// Build script: `dotnet tool restore` once, then `dotnet cake --target=<Target>`.
// Targets: Build, Test (default), Demo, Pack, Soak (the reliability tests with every fault repeated), Bench (docs/benchmarks.md).
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var solution = "./RedisPriorityTransport.sln";
var artifacts = MakeAbsolute(Directory("./artifacts"));
var testResults = artifacts.Combine("test-results");

Task("Build")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
});

Task("EnsureRedis")
    .Description("Makes sure the tests can get a Redis: an address in REDIS_TEST_CONFIGURATION, a Docker engine, or redis-server.")
    .Does(() =>
{
    if (!string.IsNullOrWhiteSpace(EnvironmentVariable("REDIS_TEST_CONFIGURATION")))
    {
        Information("Tests use the Redis at REDIS_TEST_CONFIGURATION.");
        return;
    }
    if (!string.IsNullOrEmpty(EnvironmentVariable("DOCKER_HOST")) || System.IO.File.Exists("/var/run/docker.sock"))
        Information("A Docker socket exists; the tests try Testcontainers first and fall back to redis-server.");
    if (HasCommand("redis-server"))
        return;
    if (!IsRunningOnLinux() || !HasCommand("apt-get") || !IsRoot())
        throw new CakeException(
            "The tests need Redis and redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; " +
            "macOS: brew install redis), or set REDIS_TEST_CONFIGURATION to a Redis address such as 127.0.0.1:6379.");
    Information("redis-server is missing; installing Debian's package.");
    Run("apt-get", "update");
    Run("apt-get", "install -y --no-install-recommends redis-server", ("DEBIAN_FRONTEND", "noninteractive"));
});

Task("Test")
    .IsDependentOn("Build")
    .IsDependentOn("EnsureRedis")
    .Does(() =>
{
    CleanDirectory(testResults);
    try
    {
        DotNetTest(solution, new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            ResultsDirectory = testResults,
            Loggers = { "trx", "console;verbosity=minimal" },
            ArgumentCustomization = args => args.Append("--blame-hang-timeout 10m"),
        });
    }
    finally
    {
        WriteTestSummary();
    }
});

Task("Demo")
    .Description("Brings Redis up, publishes a burst of mixed events, drains it with one and then two consumers, and checks the order.")
    .IsDependentOn("EnsureRedis")
    .Does(() =>
{
    DotNetRun("./samples/Demo/Demo.csproj", new ProcessArgumentBuilder(), new DotNetRunSettings { Configuration = configuration });
});

Task("Pack")
    .Does(() =>
{
    foreach (var project in new[] { "./src/RedisPriorityTransport/RedisPriorityTransport.csproj", "./src/RedisPriorityTransport.Dashboard/RedisPriorityTransport.Dashboard.csproj" })
    {
        DotNetPack(project, new DotNetPackSettings
        {
            Configuration = configuration,
            OutputDirectory = artifacts.Combine("packages"),
        });
    }
});

Task("Soak")
    .Description("Runs the reliability tests with every fault repeated RPT_SOAK_FACTOR times (default 20; --soak-factor=N; --soak-kills=N for the consumer-process kills).")
    .IsDependentOn("Build")
    .IsDependentOn("EnsureRedis")
    .Does(() =>
{
    var factor = Argument("soak-factor", EnvironmentVariable("RPT_SOAK_FACTOR") ?? "20");
    // The consumer-process kills default to 20 times the factor; --soak-kills=N (or RPT_SOAK_KILLS) sets them apart.
    var kills = Argument("soak-kills", EnvironmentVariable("RPT_SOAK_KILLS") ?? "");
    Information($"Soak: every fault of tests/RedisPriorityTransport.Tests/Reliability repeated {factor} times" +
        (kills.Length > 0 ? $", {kills} consumer-process kills." : "."));
    DotNetTest("./tests/RedisPriorityTransport.Tests/RedisPriorityTransport.Tests.csproj", new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        Filter = "FullyQualifiedName~Reliability",
        Loggers = { "console;verbosity=detailed" },
        EnvironmentVariables = { ["RPT_SOAK_FACTOR"] = factor, ["RPT_SOAK_KILLS"] = kills },
        ArgumentCustomization = args => args.Append("--blame-hang-timeout 60m"),
    });
});

// Benchmarks (docs/benchmarks.md), always in Release: the end-to-end benchmark, which writes artifacts/benchmarks.md.
// --quick=true for the one-minute development run; --micro=true to add the BenchmarkDotNet micro-benchmarks;
// --bench-args="..." for anything else the benchmark accepts (for example "--runs 5 --workloads burst,paced").
Task("Bench")
    .IsDependentOn("EnsureRedis")
    .Does(() =>
{
    var arguments = new List<string>();
    if (Argument("quick", false))
        arguments.Add("--quick");
    if (Argument("micro", false))
        arguments.Add("--include-micro");
    var extra = Argument("bench-args", "");
    if (!string.IsNullOrWhiteSpace(extra))
        arguments.Add(extra);
    DotNetRun("./tests/RedisPriorityTransport.Benchmarks/RedisPriorityTransport.Benchmarks.csproj", string.Join(" ", arguments),
        new DotNetRunSettings { Configuration = "Release" });
});

RunTarget(target);

// Adds up every test result file and prints one plain line, "N passed, M failed, K skipped", also kept in
// artifacts/test-results/summary.txt for CI.
void WriteTestSummary()
{
    long passed = 0, failed = 0, skipped = 0;
    foreach (var file in GetFiles(testResults.FullPath + "/**/*.trx"))
    {
        var counters = XDocument.Load(file.FullPath).Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
        if (counters is null)
            continue;
        long Read(string name) => long.TryParse(counters.Attribute(name)?.Value, out var value) ? value : 0;
        passed += Read("passed");
        failed += Read("failed") + Read("error") + Read("timeout") + Read("aborted");
        skipped += Read("total") - Read("executed");
    }
    var line = $"{passed} passed, {failed} failed, {skipped} skipped";
    System.IO.File.WriteAllText(testResults.CombineWithFilePath("summary.txt").FullPath, line + "\n");
    Information(line);
}

bool HasCommand(string name) =>
    (EnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator)
        .Any(directory => System.IO.File.Exists(System.IO.Path.Combine(directory, name)));

bool IsRoot() => StartProcess("id", new ProcessSettings { Arguments = "-u", RedirectStandardOutput = true }, out var output) == 0
    && output.FirstOrDefault()?.Trim() == "0";

void Run(string tool, string arguments, params (string Name, string Value)[] environment)
{
    var settings = new ProcessSettings { Arguments = arguments, EnvironmentVariables = environment.ToDictionary(e => e.Name, e => e.Value) };
    var exitCode = StartProcess(tool, settings);
    if (exitCode != 0)
        throw new CakeException($"'{tool} {arguments}' failed with exit code {exitCode}.");
}

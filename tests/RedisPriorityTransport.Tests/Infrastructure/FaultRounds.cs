namespace RedisPriorityTransport.Tests.Infrastructure;

/// <summary>
/// How often the fault tests repeat their faults: as written in the normal suite, multiplied by
/// <c>RPT_SOAK_FACTOR</c> (at most 1000) in the on-demand soak, <c>dotnet cake --target=Soak</c>.
/// </summary>
public static class FaultRounds
{
    /// <summary>The environment variable that multiplies the rounds.</summary>
    public const string FactorVariable = "RPT_SOAK_FACTOR";

    /// <summary>The multiplier in force (1 unless the variable says more).</summary>
    public static int Factor =>
        int.TryParse(Environment.GetEnvironmentVariable(FactorVariable), out var factor) && factor > 1 ? Math.Min(factor, 1000) : 1;

    /// <summary><paramref name="rounds"/> times the factor.</summary>
    public static int Scale(int rounds) => rounds * Factor;
}

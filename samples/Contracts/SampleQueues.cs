namespace Samples.Contracts;

/// <summary>The queue names the samples share.</summary>
public static class SampleQueues
{
    /// <summary>The queue of alerts, transactions and logs: one sorted set, so one order across all three.</summary>
    public const string Events = "sample-events";

    /// <summary>The queue of the ETL pipeline's phases.</summary>
    public const string Etl = "sample-etl";
}

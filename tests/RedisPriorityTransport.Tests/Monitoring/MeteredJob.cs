namespace RedisPriorityTransport.Tests.Monitoring;

/// <summary>A job of the monitoring tests: held until the gate opens, or failing on purpose.</summary>
public record MeteredJob(string Id, bool Hold = false, bool Fail = false);

namespace RedisPriorityTransport.Tests.Monitoring;

/// <summary>A message no consumer of the test endpoint handles: it goes to the skipped queue.</summary>
public record UnconsumedJob(string Id);

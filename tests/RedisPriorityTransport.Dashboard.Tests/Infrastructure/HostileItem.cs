namespace RedisPriorityTransport.Dashboard.Tests.Infrastructure;

/// <summary>A message whose fields carry markup.</summary>
public sealed record HostileItem(string Name, string Note);

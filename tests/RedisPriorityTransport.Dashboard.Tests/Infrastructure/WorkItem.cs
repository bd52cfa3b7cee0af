namespace RedisPriorityTransport.Dashboard.Tests.Infrastructure;

/// <summary>The message the dashboard tests' consumers handle.</summary>
public sealed record WorkItem(string Name, [property: Urgency] int Urgency, string Note = "");

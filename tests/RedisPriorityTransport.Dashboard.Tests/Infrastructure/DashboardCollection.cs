namespace RedisPriorityTransport.Dashboard.Tests.Infrastructure;

/// <summary>All browser tests share one dashboard host and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}

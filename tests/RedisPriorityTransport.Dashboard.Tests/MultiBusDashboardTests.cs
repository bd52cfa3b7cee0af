using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Dashboard.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Dashboard.Tests;

/// <summary>A second Redis bus added with <c>AddMassTransit&lt;TBus&gt;</c>.</summary>
public interface IReportsBus : IBus;

/// <summary>
/// With two Redis buses in one container (MassTransit's MultiBus, each on its own key prefix), each bus gets a dashboard
/// of its own: <c>MapRedisPriorityDashboard</c> shows the first bus's queues, <c>MapRedisPriorityDashboard&lt;TBus&gt;</c>
/// that bus's.
/// </summary>
public sealed class MultiBusDashboardTests : IAsyncLifetime
{
    readonly string _firstPrefix = RedisTestServer.NewKeyPrefix();
    readonly string _secondPrefix = RedisTestServer.NewKeyPrefix();
    readonly List<RedisPriorityQueue> _queues = [];
    WebApplication? _app;
    string _origin = "";

    public async Task InitializeAsync()
    {
        var redis = await RedisTestServer.GetAsync();
        foreach (var (prefix, name) in new[] { (_firstPrefix, "orders-of-the-first-bus"), (_secondPrefix, "reports-of-the-second-bus") })
        {
            var queue = new RedisPriorityQueue(redis.Connection, name, new PriorityQueueSettings { KeyPrefix = prefix });
            _queues.Add(queue);
            await queue.EnqueueAsync(new QueueMessage("waiting", "w"u8.ToArray()));
        }

        var builder = TestDashboardHost.CreateBuilder();
        builder.Services.AddMassTransit(x => x.UsingRedis((_, cfg) => cfg.Host(redis.Configuration, h => h.KeyPrefix = _firstPrefix)));
        builder.Services.AddMassTransit<IReportsBus>(x => x.UsingRedis((_, cfg) => cfg.Host(redis.Configuration, h => h.KeyPrefix = _secondPrefix)));
        builder.Services.AddRedisPriorityDashboard(o =>
        {
            o.KeyPrefix = _firstPrefix;
            o.RedisConfiguration = redis.Configuration;
        });

        _app = builder.Build();
        _app.UseRouting();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapRedisPriorityDashboard("/priority").RequireAuthorization();
        _app.MapRedisPriorityDashboard<IReportsBus>("/priority-reports").RequireAuthorization();
        await _app.StartAsync();
        _origin = TestDashboardHost.OriginOf(_app);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        var redis = await RedisTestServer.GetAsync();
        foreach (var queue in _queues)
        {
            await queue.DeleteAsync();
            await queue.DisposeAsync();
        }

        foreach (var key in redis.Connection.GetServers().SelectMany(server => server.Keys(pattern: _firstPrefix + "*").Concat(server.Keys(pattern: _secondPrefix + "*"))))
            await redis.Connection.GetDatabase().KeyDeleteAsync(key);
    }

    [Fact]
    public async Task Each_redis_bus_has_a_dashboard_of_its_own()
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Add(TestAuthenticationHandler.UserHeader, "ada");
        client.DefaultRequestHeaders.Add(TestAuthenticationHandler.RolesHeader, "admin");

        var first = await client.GetStringAsync(_origin + "/priority");
        var second = await client.GetStringAsync(_origin + "/priority-reports");

        Assert.Contains("orders-of-the-first-bus", first);
        Assert.DoesNotContain("reports-of-the-second-bus", first);
        Assert.Contains("reports-of-the-second-bus", second);
        Assert.DoesNotContain("orders-of-the-first-bus", second);
        // Links stay under the mount they came from.
        Assert.Contains("/priority-reports/queues/reports-of-the-second-bus", second);
    }

    [Fact]
    public void A_dashboard_of_a_bus_that_is_not_a_redis_bus_of_the_container_is_refused_when_mapped()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => _app!.MapRedisPriorityDashboard<INotRegisteredBus>("/elsewhere"));
        Assert.Contains("Bind<INotRegisteredBus, IPriorityQueueAdmin>", exception.Message);
    }

    /// <summary>A bus interface no bus was added under.</summary>
    public interface INotRegisteredBus : IBus;
}

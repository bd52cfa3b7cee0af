using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Transport;
using StackExchange.Redis;

namespace RedisPriorityTransport.Tests.Monitoring;

/// <summary>
/// The health check of a Redis bus against a real Redis reached through a proxy the test can cut: Healthy, Degraded
/// when a high-band message waits past the SLA, Unhealthy while Redis is unreachable, Healthy again after.
/// </summary>
public class HealthCheckTests : IAsyncLifetime
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    readonly string _keyPrefix = RedisTestServer.NewKeyPrefix();
    RedisServerHandle _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisTestServer.GetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_check_follows_the_priority_SLA_and_the_reachability_of_Redis()
    {
        var redisPort = ((IPEndPoint)ConfigurationOptions.Parse(_redis.Configuration).EndPoints
            .Select(e => e is DnsEndPoint dns ? new IPEndPoint(IPAddress.Loopback, dns.Port) : e).First()).Port;
        await using var proxy = LoopbackTcpProxy.Start(redisPort);
        var gate = new JobGate();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(gate);
        services.AddRedisPriorityQueue(bus => bus.AddConsumer<MeteredJobConsumer>(), options =>
        {
            options.Configuration = $"{proxy.Configuration},connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000";
            options.KeyPrefix = _keyPrefix;
            options.ConcurrentMessageLimit = 1;
        });
        services.AddHealthChecks().AddRedisPriorityQueueHealthChecks(options =>
        {
            options.HighBandMaxWait = TimeSpan.FromMilliseconds(200);
            options.PingTimeout = TimeSpan.FromMilliseconds(500);
        });
        await using var provider = services.BuildServiceProvider(true);
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync(Patience);
        try
        {
            var health = provider.GetRequiredService<HealthCheckService>();
            var entry = await WaitForStatus(health, HealthStatus.Healthy, "Healthy once the bus runs");
            Assert.True((double)entry.Data["latency_ms"] >= 0);
            // The consumer's endpoint, and the bus's own temporary endpoint: every receive queue of the bus is watched.
            const string queueName = "MeteredJob";
            Assert.Contains(queueName, ((IReadOnlyDictionary<string, double>)entry.Data["oldest_high_wait_s"]).Keys);
            Assert.Contains("ready", entry.Tags);
            Assert.Contains("masstransit", entry.Tags);

            // The one slot is held, so a second urgent job waits past the 200 ms SLA.
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queueName}"));
            await endpoint.Send(new MeteredJob("held", Hold: true), c => c.SetUrgency(Urgency.Urgent));
            await PriorityOrderTests.WaitUntil(() => gate.Started.ContainsKey("held"), Patience, "the held job started");
            await endpoint.Send(new MeteredJob("waiting"), c => c.SetUrgency(Urgency.Critical));
            entry = await WaitForStatus(health, HealthStatus.Degraded, "Degraded while an urgent job waits past the SLA");
            Assert.Contains(queueName, entry.Description);
            Assert.True(((IReadOnlyDictionary<string, double>)entry.Data["oldest_high_wait_s"])[queueName] > 0.2);

            gate.Open();
            await PriorityOrderTests.WaitUntil(() => gate.Finished.Contains("waiting"), Patience, "the waiting job ran");
            await WaitForStatus(health, HealthStatus.Healthy, "Healthy once the urgent job ran");

            proxy.Cut();
            entry = await WaitForStatus(health, HealthStatus.Unhealthy, "Unhealthy while Redis is unreachable");
            Assert.Contains("Redis", entry.Description);

            proxy.Restore();
            await WaitForStatus(health, HealthStatus.Healthy, "Healthy again once Redis is reachable");
        }
        finally
        {
            gate.Open();
            proxy.Restore();
            await bus.StopAsync(Patience);
        }
    }

    [Fact]
    public async Task A_second_Redis_bus_gets_its_own_check_named_after_the_bus()
    {
        var services = new ServiceCollection();
        services.AddMassTransit(x => x.UsingInMemory());
        services.AddRedisPriorityQueue(configureOptions: options => options.Configuration = _redis.Configuration);
        services.AddHealthChecks().AddRedisPriorityQueueHealthChecks();
        await using var provider = services.BuildServiceProvider();

        var registrations = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        var check = Assert.Single(registrations, r => r.Name.StartsWith(RedisPriorityQueueHealthCheckOptions.DefaultName, StringComparison.Ordinal));
        Assert.Equal("redis-priority-queue-redis-priority-bus", check.Name);
        Assert.Contains("ready", check.Tags);
    }

    [Fact]
    public void Bad_options_fail_naming_the_setting_and_a_second_registration_fails()
    {
        var services = new ServiceCollection();
        var builder = services.AddHealthChecks().AddRedisPriorityQueueHealthChecks(options =>
        {
            options.PingTimeout = TimeSpan.Zero;
            options.HighBandMaxWait = TimeSpan.FromSeconds(-1);
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisPriorityQueueHealthCheckOptions>>().Value);
        Assert.Contains("PingTimeout", error.Message);
        Assert.Contains("HighBandMaxWait", error.Message);
        Assert.Throws<InvalidOperationException>(() => builder.AddRedisPriorityQueueHealthChecks());
        Assert.Throws<ArgumentNullException>(() => ((IHealthChecksBuilder)null!).AddRedisPriorityQueueHealthChecks());
    }

    static async Task<HealthReportEntry> WaitForStatus(HealthCheckService health, HealthStatus status, string what)
    {
        HealthReportEntry entry = default;
        await Eventually.HoldsAsync(async () =>
        {
            var report = await health.CheckHealthAsync();
            entry = report.Entries[RedisPriorityQueueHealthCheckOptions.DefaultName];
            return entry.Status == status;
        }, Patience, $"{what} (last: {entry.Status} {entry.Description})");
        return entry;
    }
}

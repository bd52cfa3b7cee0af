using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisPriorityTransport.Tests.Operations;

public sealed class AdminRegistrationTests : IAsyncLifetime
{
    readonly string _keyPrefix = RedisTestServer.NewKeyPrefix();
    RedisServerHandle _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisTestServer.GetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public sealed record Parcel(string Text);

    public sealed class ParcelConsumer : IConsumer<Parcel>
    {
        public Task Consume(ConsumeContext<Parcel> context) => Task.CompletedTask;
    }

    [RedisFact]
    public async Task UsingRedis_registers_an_admin_over_the_bus_queues()
    {
        var services = new ServiceCollection();
        services.AddMassTransit(x =>
        {
            x.AddConsumer<ParcelConsumer>();
            x.UsingRedis((context, cfg) =>
            {
                cfg.Host(_redis.Configuration, h => h.KeyPrefix = _keyPrefix);
                cfg.ConfigureEndpoints(context);
            });
        });
        await using var provider = services.BuildServiceProvider(true);

        // Resolved before the bus starts: the admin still works on the bus's Redis and prefix.
        var admin = provider.GetRequiredService<IPriorityQueueAdmin>();
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync(TimeSpan.FromSeconds(30));
        try
        {
            await Eventually.HoldsAsync(async () => (await admin.GetQueuesAsync()).Any(q => q.Name == "Parcel"), TimeSpan.FromSeconds(30),
                "the endpoint's queue to be listed");
            Assert.Same(admin, provider.GetRequiredService<IPriorityQueueAdmin>());
            await admin.PauseAsync("Parcel", "ops", "test");
            Assert.True((await admin.GetQueueAsync("Parcel")).IsPaused);
            Assert.True(await _redis.Connection.GetDatabase().KeyExistsAsync(_keyPrefix + "{Parcel}:Parcel:control"));
        }
        finally
        {
            await bus.StopAsync(TimeSpan.FromSeconds(30));
        }
    }

    [RedisFact]
    public async Task AddRedisPriorityQueue_as_a_second_bus_registers_an_admin_over_the_redis_bus()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMassTransit(x => x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context)));
        services.AddRedisPriorityQueue(bus => bus.AddConsumer<ParcelConsumer>(), options =>
        {
            options.Configuration = _redis.Configuration;
            options.KeyPrefix = _keyPrefix;
        });
        services.Configure<PriorityQueueAdminOptions>(options => options.AuditMaxLength = 123);
        await using var provider = services.BuildServiceProvider(true);

        var admin = provider.GetRequiredService<IPriorityQueueAdmin>();
        var queues = await admin.GetQueuesAsync();

        // Resolving the admin created the Redis bus, whose receive endpoint opened (and listed) its queue on start;
        // before the start nothing is listed, but the admin already talks to the Redis bus's server under its prefix.
        Assert.DoesNotContain(queues, q => q.Name.Contains("InMemory", StringComparison.Ordinal));
        await _redis.Connection.GetDatabase().SetAddAsync(_keyPrefix + "queues", "probe");
        Assert.Contains("probe", (await admin.GetQueuesAsync()).Select(q => q.Name));
    }

    [RedisFact]
    public async Task An_engine_user_creates_one_from_a_connection()
    {
        var settings = new PriorityQueueSettings { KeyPrefix = _keyPrefix };
        await using var queue = new RedisPriorityQueue(_redis.Connection, "jobs", settings);
        await queue.EnqueueAsync(new QueueMessage("j1", new byte[] { 1 }));
        var admin = PriorityQueueAdmin.Create(_redis.Connection, settings);

        Assert.Equal(1, (await admin.GetQueueAsync("jobs")).Ready);
        await Assert.ThrowsAsync<QueueNotFoundException>(() => admin.GetQueueAsync("nothing-here"));
        Assert.Throws<ArgumentNullException>(() => PriorityQueueAdmin.Create(null!));
        await queue.DeleteAsync();
        Assert.False(await _redis.Connection.GetDatabase().SetContainsAsync(_keyPrefix + "queues", "jobs"));
        await Assert.ThrowsAsync<QueueNotFoundException>(() => admin.GetQueueAsync("jobs"));
    }
}

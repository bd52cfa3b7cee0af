using MassTransit;
using MassTransit.DependencyInjection;
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

    public sealed record Letter(string Text);

    public sealed class LetterConsumer : IConsumer<Letter>
    {
        public Task Consume(ConsumeContext<Letter> context) => Task.CompletedTask;
    }

    public interface IPostBus : IBus;

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
    public async Task Each_redis_bus_of_a_container_has_its_own_admin_bound_to_its_bus_type()
    {
        var secondPrefix = RedisTestServer.NewKeyPrefix();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMassTransit(x =>
        {
            x.AddConsumer<ParcelConsumer>();
            x.UsingRedis((context, cfg) =>
            {
                cfg.Host(_redis.Configuration, h => h.KeyPrefix = _keyPrefix);
                cfg.ConfigureEndpoints(context);
            });
        });
        services.AddMassTransit<IPostBus>(x =>
        {
            x.AddConsumer<LetterConsumer>();
            x.UsingRedis((context, cfg) =>
            {
                cfg.Host(_redis.Configuration, h => h.KeyPrefix = secondPrefix);
                cfg.ConfigureEndpoints(context);
            });
        });
        await using var provider = services.BuildServiceProvider(true);

        var first = provider.GetRequiredService<IPriorityQueueAdmin>();
        var second = provider.GetRequiredService<Bind<IPostBus, IPriorityQueueAdmin>>().Value;
        Assert.NotSame(first, second);
        Assert.Same(first, provider.GetRequiredService<Bind<IBus, IPriorityQueueAdmin>>().Value);
        Assert.Same(second, provider.GetRequiredService<Bind<IPostBus, IPriorityQueueAdmin>>().Value);
        var instances = provider.GetServices<MassTransit.Transports.IBusInstance>().ToArray();
        foreach (var instance in instances)
            await instance.BusControl.StartAsync(TimeSpan.FromSeconds(30));
        try
        {
            await Eventually.HoldsAsync(async () => (await first.GetQueuesAsync()).Any(q => q.Name == "Parcel")
                    && (await second.GetQueuesAsync()).Any(q => q.Name == "Letter"), TimeSpan.FromSeconds(30),
                "each bus's endpoint queue to be listed by its admin");
            Assert.DoesNotContain("Letter", (await first.GetQueuesAsync()).Select(q => q.Name));
            Assert.DoesNotContain("Parcel", (await second.GetQueuesAsync()).Select(q => q.Name));
            await second.PauseAsync("Letter", "ops", "only the post bus");
            Assert.True(await _redis.Connection.GetDatabase().KeyExistsAsync(secondPrefix + "{Letter}:Letter:control"));
            await Assert.ThrowsAsync<QueueNotFoundException>(() => first.PauseAsync("Letter", "ops", "not this bus"));
        }
        finally
        {
            foreach (var instance in instances)
                await instance.BusControl.StopAsync(TimeSpan.FromSeconds(30));
            foreach (var key in _redis.Connection.GetServers().SelectMany(server => server.Keys(pattern: secondPrefix + "*")))
                await _redis.Connection.GetDatabase().KeyDeleteAsync(key);
        }
    }

    [RedisFact]
    public async Task AddRedisPriorityQueue_registers_its_admin_under_IRedisPriorityBus_as_the_only_bus_and_as_a_second_bus()
    {
        foreach (var besideInMemory in new[] { false, true })
        {
            var services = new ServiceCollection();
            services.AddLogging();
            if (besideInMemory)
                services.AddMassTransit(x => x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context)));
            services.AddRedisPriorityQueue(configureOptions: options =>
            {
                options.Configuration = _redis.Configuration;
                options.KeyPrefix = _keyPrefix;
            });
            await using var provider = services.BuildServiceProvider(true);

            var admin = provider.GetRequiredService<Bind<IRedisPriorityBus, IPriorityQueueAdmin>>().Value;
            Assert.Same(provider.GetRequiredService<IPriorityQueueAdmin>(), admin);
            Assert.Same(admin, provider.GetRequiredService<Bind<IRedisPriorityBus, IPriorityQueueAdmin>>().Value);
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

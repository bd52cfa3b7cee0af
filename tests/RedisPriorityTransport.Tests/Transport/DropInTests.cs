using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Transport;

public record InMemoryNote(string Text);

public record RedisNote(string Text);

public sealed class NoteLog
{
    readonly TaskCompletionSource<string> _inMemory = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource<(string Text, MessagePriority Priority)> _redis = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> InMemory => _inMemory.Task;

    public Task<(string Text, MessagePriority Priority)> Redis => _redis.Task;

    public void Add(InMemoryNote note) => _inMemory.TrySetResult(note.Text);

    public void Add(RedisNote note, MessagePriority priority) => _redis.TrySetResult((note.Text, priority));
}

public sealed class InMemoryNoteConsumer(NoteLog log) : IConsumer<InMemoryNote>
{
    public Task Consume(ConsumeContext<InMemoryNote> context)
    {
        log.Add(context.Message);
        return Task.CompletedTask;
    }
}

public sealed class RedisNoteConsumer(NoteLog log) : IConsumer<RedisNote>
{
    public Task Consume(ConsumeContext<RedisNote> context)
    {
        log.Add(context.Message, context.TryGetPayload<RedisMessageContext>(out var redis) ? redis.Priority : default);
        return Task.CompletedTask;
    }
}

public class DropInTests : IAsyncLifetime
{
    readonly string _keyPrefix = RedisTestServer.NewKeyPrefix();
    RedisServerHandle _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisTestServer.GetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_application_on_the_in_memory_bus_adds_the_redis_bus_and_both_deliver()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RedisPriorityQueue:KeyPrefix"] = _keyPrefix,
            ["RedisPriorityQueue:EventTypeRanking:0"] = "alert",
        });
        builder.Services.AddSingleton<NoteLog>();
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<InMemoryNoteConsumer>();
            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        builder.Services.AddRedisPriorityQueue(bus => bus.AddConsumer<RedisNoteConsumer>(),
            options => options.Configuration = _redis.Configuration);

        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var log = host.Services.GetRequiredService<NoteLog>();
            var inMemoryBus = host.Services.GetRequiredService<IBus>();
            var redisBus = host.Services.GetRequiredService<IRedisPriorityBus>();
            Assert.NotEqual("redis", inMemoryBus.Address.Scheme);
            Assert.Equal("redis", redisBus.Address.Scheme);

            await inMemoryBus.Publish(new InMemoryNote("in memory"));
            await redisBus.Publish(new RedisNote("redis"), context => context.SetEventType("alert"));

            Assert.Equal("in memory", await log.InMemory.WaitAsync(TimeSpan.FromSeconds(30)));
            var (text, priority) = await log.Redis.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("redis", text);
            Assert.Equal(new MessagePriority(Urgency.Normal, "alert"), priority);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Without_another_bus_the_redis_bus_is_the_application_bus()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<NoteLog>();
        services.AddRedisPriorityQueue(bus => bus.AddConsumer<RedisNoteConsumer>(), options =>
        {
            options.Configuration = _redis.Configuration;
            options.KeyPrefix = _keyPrefix;
        });
        await using var provider = services.BuildServiceProvider(true);
        var busControl = provider.GetRequiredService<IBusControl>();
        await busControl.StartAsync(TimeSpan.FromSeconds(30));
        try
        {
            Assert.Equal("redis", provider.GetRequiredService<IBus>().Address.Scheme);
            await provider.GetRequiredService<IRedisPriorityBus>().Publish(new RedisNote("only bus"));
            var (text, _) = await provider.GetRequiredService<NoteLog>().Redis.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("only bus", text);
        }
        finally
        {
            await busControl.StopAsync(TimeSpan.FromSeconds(30));
        }
    }
}

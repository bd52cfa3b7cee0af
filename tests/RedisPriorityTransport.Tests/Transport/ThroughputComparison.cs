using System.Diagnostics;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Transport;

/// <summary>A fact that runs only when <c>RPT_BENCHMARK=1</c>: a measurement, not a check, and too slow for every run.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("RPT_BENCHMARK") != "1")
            Skip = "Benchmark; set RPT_BENCHMARK=1 to run.";
    }
}

public record BenchMessage(int Number);

public sealed class BenchCounter
{
    readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _count;

    public int Expected { get; set; }

    public Task Done => _done.Task;

    public void Add()
    {
        if (Interlocked.Increment(ref _count) == Expected)
            _done.TrySetResult();
    }
}

public sealed class BenchConsumer(BenchCounter counter) : IConsumer<BenchMessage>
{
    public Task Consume(ConsumeContext<BenchMessage> context)
    {
        counter.Add();
        return Task.CompletedTask;
    }
}

public class ThroughputComparison(ITestOutputHelper output)
{
    const int Messages = 20_000;
    const int Concurrency = 16;

    [BenchmarkFact]
    public async Task Redis_transport_throughput_compared_with_the_in_memory_transport()
    {
        var redis = await RedisTestServer.GetAsync();
        var prefix = RedisTestServer.NewKeyPrefix();
        var inMemory = await Measure(x => x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context)));
        var onRedis = await Measure(x => x.UsingRedis((context, cfg) =>
        {
            cfg.Host(redis.Configuration, h => h.KeyPrefix = prefix);
            cfg.ConfigureEndpoints(context);
        }));
        output.WriteLine($"in-memory: {Messages / inMemory.TotalSeconds:0} msg/s; redis: {Messages / onRedis.TotalSeconds:0} msg/s; ratio {inMemory / onRedis:0.00}");
    }

    static async Task<TimeSpan> Measure(Action<IBusRegistrationConfigurator> transport)
    {
        var counter = new BenchCounter { Expected = Messages };
        var services = new ServiceCollection();
        services.AddSingleton(counter);
        services.AddMassTransitTestHarness(x =>
        {
            x.AddConsumer<BenchConsumer>(c => c.ConcurrentMessageLimit = Concurrency);
            transport(x);
        });
        await using var provider = services.BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var stopwatch = Stopwatch.StartNew();
        foreach (var chunk in Enumerable.Range(0, Messages).Chunk(1000))
            await Task.WhenAll(chunk.Select(i => harness.Bus.Publish(new BenchMessage(i))));
        await counter.Done.WaitAsync(TimeSpan.FromMinutes(5));
        var elapsed = stopwatch.Elapsed;
        await harness.Stop();
        return elapsed;
    }
}

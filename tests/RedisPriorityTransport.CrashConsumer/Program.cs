// A consumer process for crash tests: it consumes CrashJob from one queue, prints "started <id> <delivery count>"
// when a handler starts, and never finishes the first delivery of a job whose Hang flag is set, so the test can kill
// it (kill -9) mid-message.
// Usage: RedisPriorityTransport.CrashConsumer <redis configuration> <key prefix> <queue> <lock duration ms>
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RedisPriorityTransport;
using RedisPriorityTransport.CrashConsumer;

if (args.Length != 4 || !int.TryParse(args[3], out var lockMs) || lockMs <= 0)
{
    Console.Error.WriteLine("usage: RedisPriorityTransport.CrashConsumer <redis configuration> <key prefix> <queue> <lock duration ms>");
    return 2;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
builder.Services.AddMassTransit(x =>
{
    x.AddConsumer<CrashJobConsumer>();
    x.UsingRedis((context, cfg) =>
    {
        cfg.Host(args[0], h => h.KeyPrefix = args[1]);
        cfg.ReceiveEndpoint(args[2], e =>
        {
            e.LockDuration = TimeSpan.FromMilliseconds(lockMs);
            e.ConcurrentMessageLimit = 1;
            e.ConfigureConsumer<CrashJobConsumer>(context);
        });
    });
});
using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("ready");
await host.WaitForShutdownAsync();
return 0;

namespace RedisPriorityTransport.CrashConsumer
{
    /// <summary>A job for the crash tests; <paramref name="Hang"/> makes its handler never finish.</summary>
    public record CrashJob(string JobId, bool Hang);

    /// <summary>Reports each handler start on standard output, then hangs or completes.</summary>
    public sealed class CrashJobConsumer : IConsumer<CrashJob>
    {
        /// <inheritdoc />
        public async Task Consume(ConsumeContext<CrashJob> context)
        {
            var deliveries = context.TryGetPayload<RedisMessageContext>(out var redis) ? redis.DeliveryCount : 0;
            Console.WriteLine($"started {context.Message.JobId} {deliveries}");
            // Only the first delivery hangs: the process that gets it again after a crash finishes it.
            if (context.Message.Hang && deliveries <= 1)
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            Console.WriteLine($"finished {context.Message.JobId}");
        }
    }
}

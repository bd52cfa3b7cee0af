// A consumer process for crash tests. It consumes from one queue and reports on standard output, one line each, so a
// test can tell from outside what the process was doing when it was killed (kill -9):
//   ready                                  the bus has started
//   started <id> <delivery count>          a handler started
//   finished <id> [<delivery count>]       a handler returned (the acknowledgement follows it)
//   clock <id> <timestamp>                 after a StreamJob's start: Stopwatch.GetTimestamp() at the start, a monotonic
//                                          clock all processes of the machine share, so a test can time starts without
//                                          depending on when it reads the lines
// CrashJob: the first delivery of a job whose Hang flag is set never finishes.
// StreamJob: works WorkMs milliseconds, then finishes.
// PoisonJob: kills its own process (SIGKILL) every time it is delivered.
// Usage: RedisPriorityTransport.CrashConsumer <redis configuration> <key prefix> <queue> <lock duration ms>
//        [<max delivery count> [<concurrent message limit>]]
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RedisPriorityTransport;
using RedisPriorityTransport.CrashConsumer;

var maxDeliveries = 10;
var concurrency = 1;
if (args.Length is < 4 or > 6 || !int.TryParse(args[3], out var lockMs) || lockMs <= 0
    || (args.Length > 4 && (!int.TryParse(args[4], out maxDeliveries) || maxDeliveries <= 0))
    || (args.Length > 5 && (!int.TryParse(args[5], out concurrency) || concurrency <= 0)))
{
    Console.Error.WriteLine("usage: RedisPriorityTransport.CrashConsumer <redis configuration> <key prefix> <queue> <lock duration ms> " +
        "[<max delivery count> [<concurrent message limit>]]");
    return 2;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
builder.Services.AddMassTransit(x =>
{
    x.UsingRedis((context, cfg) =>
    {
        cfg.Host(args[0], h => h.KeyPrefix = args[1]);
        cfg.ReceiveEndpoint(args[2], e =>
        {
            e.LockDuration = TimeSpan.FromMilliseconds(lockMs);
            e.MaxDeliveryCount = maxDeliveries;
            e.ConcurrentMessageLimit = concurrency;
            e.Consumer<CrashJobConsumer>();
            e.Consumer<StreamJobConsumer>();
            e.Consumer<PoisonJobConsumer>();
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

    /// <summary>One of a stream of jobs; its handler works <paramref name="WorkMs"/> milliseconds.</summary>
    public record StreamJob(string JobId, int WorkMs);

    /// <summary>A job whose handler kills its own process, on every delivery.</summary>
    public record PoisonJob(string JobId);

    /// <summary>Reports each handler start on standard output, then hangs or completes.</summary>
    public sealed class CrashJobConsumer : IConsumer<CrashJob>
    {
        /// <inheritdoc />
        public async Task Consume(ConsumeContext<CrashJob> context)
        {
            var deliveries = Deliveries.Of(context);
            Console.WriteLine($"started {context.Message.JobId} {deliveries}");
            // Only the first delivery hangs: the process that gets it again after a crash finishes it.
            if (context.Message.Hang && deliveries <= 1)
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            Console.WriteLine($"finished {context.Message.JobId}");
        }
    }

    /// <summary>Reports start and end, with the delivery count, around a short piece of work.</summary>
    public sealed class StreamJobConsumer : IConsumer<StreamJob>
    {
        /// <inheritdoc />
        public async Task Consume(ConsumeContext<StreamJob> context)
        {
            var deliveries = Deliveries.Of(context);
            var startedAt = Stopwatch.GetTimestamp();
            Console.WriteLine($"started {context.Message.JobId} {deliveries}");
            Console.WriteLine($"clock {context.Message.JobId} {startedAt}");
            await Task.Delay(context.Message.WorkMs, context.CancellationToken);
            Console.WriteLine($"finished {context.Message.JobId} {deliveries}");
        }
    }

    /// <summary>Reports the start, then kills its own process as a crashing native library or a stack overflow would.</summary>
    public sealed class PoisonJobConsumer : IConsumer<PoisonJob>
    {
        /// <inheritdoc />
        public Task Consume(ConsumeContext<PoisonJob> context)
        {
            Console.WriteLine($"started {context.Message.JobId} {Deliveries.Of(context)}");
            // SIGKILL rather than FailFast: no crash dump, no unwinding, nothing the transport could settle on the way out.
            Process.GetCurrentProcess().Kill();
            return Task.Delay(Timeout.Infinite);
        }
    }

    static class Deliveries
    {
        public static int Of(ConsumeContext context) => context.TryGetPayload<RedisMessageContext>(out var redis) ? redis.DeliveryCount : 0;
    }
}

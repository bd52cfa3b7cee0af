// A worker that consumes the sample events in priority order. Run two with different speeds to see competing
// consumers: each event is handled once, urgent work first.
//   dotnet run --project samples/Consumer -- --name fast --processing-ms 5 --concurrency 1 --redis localhost:6379
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Samples.Consumer;
using Samples.Contracts;

var options = WorkerOptions.Parse(args);
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton(options);
builder.Services.AddRedisPriorityQueue(bus =>
    {
        bus.AddConsumer<SampleEventConsumer>()
            .Endpoint(e =>
            {
                e.Name = SampleQueues.Events;
                e.ConcurrentMessageLimit = options.Concurrency;
            });
        bus.AddConsumer<EtlPhaseConsumer>().Endpoint(e => e.Name = SampleQueues.Etl);
    },
    redis =>
    {
        redis.Configuration = options.Redis;
        redis.EventTypeRanking = EventTypes.HighestFirst;
    });

Console.WriteLine($"[{options.Name}] consuming '{SampleQueues.Events}' with {options.Concurrency} slot(s), {options.ProcessingMs} ms per event. Ctrl+C stops gracefully.");
await builder.Build().RunAsync();

namespace Samples.Consumer
{
    /// <summary>Command-line settings of the worker.</summary>
    public sealed record WorkerOptions(string Name, string Redis, int ProcessingMs, int Concurrency)
    {
        /// <summary>Reads <c>--name</c>, <c>--redis</c>, <c>--processing-ms</c> and <c>--concurrency</c>.</summary>
        public static WorkerOptions Parse(string[] args)
        {
            string Value(string name, string fallback)
            {
                var index = Array.IndexOf(args, name);
                return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
            }

            int Number(string name, int fallback, int min)
            {
                var text = Value(name, fallback.ToString());
                if (!int.TryParse(text, out var value) || value < min)
                    throw new ArgumentException($"{name} must be a whole number of at least {min}; got '{text}'.");
                return value;
            }

            return new WorkerOptions(Value("--name", "worker"), Value("--redis", "localhost:6379"),
                Number("--processing-ms", 20, 0), Number("--concurrency", 1, 1));
        }
    }

    /// <summary>Handles alerts, transactions and logs on one queue, so one sorted set orders all three.</summary>
    public sealed class SampleEventConsumer(WorkerOptions options) :
        IConsumer<AlertRaised>, IConsumer<TransactionRecorded>, IConsumer<LogWritten>
    {
        /// <inheritdoc />
        public Task Consume(ConsumeContext<AlertRaised> context) => Handle(context.Message);

        /// <inheritdoc />
        public Task Consume(ConsumeContext<TransactionRecorded> context) => Handle(context.Message);

        /// <inheritdoc />
        public Task Consume(ConsumeContext<LogWritten> context) => Handle(context.Message);

        async Task Handle(ISampleEvent e)
        {
            var waited = DateTimeOffset.UtcNow - e.CreatedAt;
            Console.WriteLine($"[{options.Name}] {e.EventId,-10} {SampleEvents.TypeOf(e),-11} urgency {e.Urgency,2}  waited {waited.TotalMilliseconds,8:F0} ms");
            // Stands in for real work.
            await Task.Delay(options.ProcessingMs);
        }
    }

    /// <summary>The three phases of the ETL sample; each follow-up inherits the urgency of the message being consumed.</summary>
    public sealed class EtlPhaseConsumer(WorkerOptions options) :
        IConsumer<ExtractRequested>, IConsumer<TransformRequested>, IConsumer<LoadRequested>
    {
        /// <inheritdoc />
        public async Task Consume(ConsumeContext<ExtractRequested> context)
        {
            Console.WriteLine($"[{options.Name}] extract   {context.Message.Dataset} (urgency {context.Message.Urgency})");
            await context.Publish(new TransformRequested(context.Message.JobId, context.Message.Dataset, Rows: 1000));
        }

        /// <inheritdoc />
        public async Task Consume(ConsumeContext<TransformRequested> context)
        {
            Console.WriteLine($"[{options.Name}] transform {context.Message.Dataset} (urgency {context.Headers.Get<string>("Urgency")}, inherited)");
            await context.Publish(new LoadRequested(context.Message.JobId, context.Message.Dataset, context.Message.Rows));
        }

        /// <inheritdoc />
        public async Task Consume(ConsumeContext<LoadRequested> context)
        {
            Console.WriteLine($"[{options.Name}] load      {context.Message.Dataset} (urgency {context.Headers.Get<string>("Urgency")}, inherited)");
            await context.Publish(new JobCompleted(context.Message.JobId, context.Message.Dataset, context.Message.Rows));
        }
    }
}

// Publishes sample events of random urgency and type, at a steady rate or as one burst, and prints each one.
//   dotnet run --project samples/Publisher -- --burst 500 --redis localhost:6379
//   dotnet run --project samples/Publisher -- --rate 20 --count 200
//   dotnet run --project samples/Publisher -- --etl 3
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RedisPriorityTransport;
using Samples.Contracts;

string Value(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

int Number(string name, int fallback)
{
    var text = Value(name, fallback.ToString());
    return int.TryParse(text, out var value) && value >= 0
        ? value
        : throw new ArgumentException($"{name} must be a whole number of at least 0; got '{text}'.");
}

var redisConfiguration = Value("--redis", "localhost:6379");
var burst = Number("--burst", 0);
var rate = Number("--rate", 10);
var count = Number("--count", 100);
var etlJobs = Number("--etl", 0);

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddRedisPriorityQueue(configureBus: null, redis =>
{
    redis.Configuration = redisConfiguration;
    redis.EventTypeRanking = EventTypes.HighestFirst;
});
using var host = builder.Build();
await host.StartAsync();
var bus = host.Services.GetRequiredService<IRedisPriorityBus>();
var random = new Random();

if (etlJobs > 0)
{
    for (var i = 0; i < etlJobs; i++)
    {
        var job = new ExtractRequested(Guid.NewGuid(), $"dataset-{i}", Urgency: random.Next(1, 11));
        await bus.Publish(job);
        Console.WriteLine($"published ETL job {job.Dataset} with urgency {job.Urgency}");
    }
}
else if (burst > 0)
{
    for (var i = 1; i <= burst; i++)
        await PublishOne(i);
}
else
{
    var interval = TimeSpan.FromSeconds(1.0 / Math.Max(1, rate));
    using var timer = new PeriodicTimer(interval);
    for (var i = 1; i <= count && await timer.WaitForNextTickAsync(); i++)
        await PublishOne(i);
}

await host.StopAsync();

async Task PublishOne(int number)
{
    var e = SampleEvents.Random(random, number);
    await bus.Publish(e, e.GetType());
    Console.WriteLine($"published {e.EventId,-10} {SampleEvents.TypeOf(e),-11} urgency {e.Urgency,2}");
}

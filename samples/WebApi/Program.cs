// A minimal API on the framework's own server: POST /events publishes, GET /queues shows depth by urgency band,
// in-flight and error counts, GET /health checks the Redis bus (PING and the high-band wait).
//   dotnet run --project samples/WebApi -- --urls http://127.0.0.1:5080 --RedisPriorityQueue:Configuration=localhost:6379
//   curl -X POST http://127.0.0.1:5080/events -H 'content-type: application/json' -d '{"type":"alert","urgency":9,"text":"disk full"}'
using MassTransit;
using RedisPriorityTransport;
using Samples.Contracts;
using Samples.WebApi;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
var redisConfiguration = builder.Configuration["RedisPriorityQueue:Configuration"] ?? "localhost:6379";
var keyPrefix = builder.Configuration["RedisPriorityQueue:KeyPrefix"] ?? PriorityQueueSettings.DefaultKeyPrefix;

// Options also bind from the "RedisPriorityQueue" configuration section (appsettings.json, environment, command line).
builder.Services.AddRedisPriorityQueue(configureBus: null, options => options.EventTypeRanking = EventTypes.HighestFirst);
builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisConfiguration + ",abortConnect=false"));
builder.Services.AddSingleton(new QueueStatistics.Settings(keyPrefix));
builder.Services.AddSingleton<QueueStatistics>();
// Unhealthy when Redis does not answer PING, Degraded when a high-band message waits longer than 30 s.
builder.Services.AddHealthChecks().AddRedisPriorityQueueHealthChecks(options => options.HighBandMaxWait = TimeSpan.FromSeconds(30));

var app = builder.Build();

app.MapPost("/events", async (EventRequest request, IRedisPriorityBus bus) =>
{
    if (!UrgencyScale.IsValid(request.Urgency))
        return Results.ValidationProblem(new Dictionary<string, string[]> { ["urgency"] = [$"Urgency {request.Urgency} is outside 0..10."] });
    var id = $"api-{Guid.NewGuid():N}"[..16];
    var now = DateTimeOffset.UtcNow;
    ISampleEvent e = request.Type?.ToLowerInvariant() switch
    {
        EventTypes.Alert => new AlertRaised(id, request.Urgency, now, request.Source ?? "api", request.Text ?? ""),
        EventTypes.Transaction => new TransactionRecorded(id, request.Urgency, now, request.Source ?? "api", request.Amount ?? 0m),
        EventTypes.Log => new LogWritten(id, request.Urgency, now, "info", request.Text ?? ""),
        _ => null!,
    };
    if (e is null)
        return Results.ValidationProblem(new Dictionary<string, string[]> { ["type"] = [$"Type must be one of {string.Join(", ", EventTypes.HighestFirst)}."] });
    await bus.Publish(e, e.GetType());
    return Results.Accepted(value: new { eventId = id, type = SampleEvents.TypeOf(e), urgency = e.Urgency });
});

app.MapGet("/queues", async (QueueStatistics statistics) =>
    Results.Ok(await statistics.ReadAsync([SampleQueues.Events, SampleQueues.Etl])));

app.MapHealthChecks("/health");

app.Run();

namespace Samples.WebApi
{
    /// <summary>The body of <c>POST /events</c>.</summary>
    public sealed record EventRequest(string? Type, int Urgency, string? Text, string? Source, decimal? Amount);

    /// <summary>Reads queue depth by band, in flight, delayed and error counts.</summary>
    public sealed class QueueStatistics(IConnectionMultiplexer connection, QueueStatistics.Settings settings)
    {
        /// <summary>Where the queues' keys live.</summary>
        public sealed record Settings(string KeyPrefix);

        /// <summary>One row per queue.</summary>
        public async Task<IReadOnlyList<object>> ReadAsync(IEnumerable<string> queueNames)
        {
            var rows = new List<object>();
            var queueSettings = new PriorityQueueSettings { KeyPrefix = settings.KeyPrefix };
            foreach (var name in queueNames)
            {
                // Disposed after each request: an open queue keeps a handler on the shared connection.
                await using var queue = new RedisPriorityQueue(connection, name, queueSettings);
                await using var errorQueue = new RedisPriorityQueue(connection, queue.ErrorQueueName, queueSettings);
                var counts = await queue.GetCountsAsync();
                var errors = await errorQueue.GetCountsAsync();
                rows.Add(new
                {
                    queue = name,
                    ready = counts.Ready,
                    readyByBand = counts.ReadyByBand.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value),
                    oldestReadyAgeMsByBand = counts.OldestReadyAgeByBand.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value?.TotalMilliseconds),
                    inFlight = counts.InFlight,
                    delayed = counts.Delayed,
                    errors = errors.Ready,
                });
            }

            return rows;
        }
    }
}

// The queue engine on its own, without MassTransit: enqueue the classic four events and take them out in order.
// Usage: dotnet run --project samples/EngineQuickStart -- [redis-configuration]   (default localhost:6379)
using System.Text;
using RedisPriorityTransport;

var configuration = args.Length > 0 ? args[0] : "localhost:6379";
var settings = new PriorityQueueSettings
{
    KeyPrefix = "quickstart:",
    Ranking = new EventTypeRanking(["alert", "transaction", "log"]),
};

await using var queue = await RedisPriorityQueue.ConnectAsync(configuration, "events", settings);
await queue.PurgeAsync();

(string Id, string Type, Urgency Urgency)[] events =
[
    ("evt1", "transaction", Urgency.Low),
    ("evt2", "alert", Urgency.Low),
    ("evt3", "log", Urgency.Normal),
    ("evt4", "transaction", Urgency.Normal),
];
foreach (var (id, type, urgency) in events)
{
    var body = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","type":"{{type}}"}""");
    await queue.EnqueueAsync(new QueueMessage(id, body, new MessagePriority(urgency, type)));
    Console.WriteLine($"enqueued {id}: {type}, urgency {(int)urgency}");
}

while ((await queue.ReserveAsync(1, TimeSpan.FromSeconds(30))).Messages is [var message])
{
    Console.WriteLine($"dequeued {message.Id}: {Encoding.UTF8.GetString(message.Body)}");
    await queue.AcknowledgeAsync(message.Id, message.LeaseToken);
}

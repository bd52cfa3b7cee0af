using System.Text;
using MassTransit;
using MassTransit.Testing;
using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Transport;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Reliability;

/// <summary>
/// Data another program (or a bug, or a half-written migration) put straight into an endpoint's queue with the engine
/// API, in place of a MassTransit envelope: the endpoint must move each to its <c>_skipped</c> or <c>_error</c> queue
/// with a reason, never loop on it or stop, and go on consuming.
/// </summary>
public class CorruptEnvelopeTests(ITestOutputHelper output) : TransportTestBase
{
    const string QueueName = "envelopes";
    const string JsonType = "application/vnd.masstransit+json";

    static readonly string PingUrn = MessageUrn.ForTypeString<PingMessage>();

    [Fact]
    public async Task Foreign_and_corrupt_envelopes_move_aside_with_a_reason_and_the_endpoint_keeps_consuming()
    {
        await StartHarness(_ => { }, (_, cfg) => cfg.ReceiveEndpoint(QueueName, e =>
        {
            e.ConcurrentMessageLimit = 1;
            e.Consumer<PingConsumer>();
        }), inactivity: TimeSpan.FromSeconds(2));
        var queue = Queue(QueueName);
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri($"queue:{QueueName}"));
        var corrupt = CorruptMessages();

        await endpoint.Send(new PingMessage("before"));
        foreach (var message in corrupt)
            await queue.EnqueueAsync(message.Message);
        foreach (var (_, message) in DamagedHeaders())
            await queue.EnqueueAsync(message);
        await endpoint.Send(new PingMessage("after"));

        Assert.True(await Harness.Consumed.Any<PingMessage>(x => x.Context.Message.Text == "after"), "The message sent after the corrupt ones was not consumed.");
        var error = Queue(QueueName + "_error");
        var skipped = Queue(QueueName + "_skipped");
        try
        {
            await Eventually.HoldsAsync(async () => (await error.GetCountsAsync()).Ready + (await skipped.GetCountsAsync()).Ready == corrupt.Count,
                TimeSpan.FromSeconds(30), $"all {corrupt.Count} corrupt messages to be moved aside");
        }
        catch (TimeoutException)
        {
            output.WriteLine($"still in {QueueName}: {string.Join(", ", await queue.PeekAsync(100))}; in flight {(await queue.GetCountsAsync()).InFlight}; " +
                $"in _error: {string.Join(", ", await error.PeekAsync(100))}; in _skipped: {string.Join(", ", await skipped.PeekAsync(100))}");
            throw;
        }

        await Eventually.HoldsAsync(async () => await queue.GetCountsAsync() is { Ready: 0, InFlight: 0, Delayed: 0 }, TimeSpan.FromSeconds(30),
            "the queue to be empty");

        var moved = new Dictionary<string, (string Queue, ReservedMessage Message)>();
        foreach (var aside in new[] { error, skipped })
        {
            foreach (var message in (await aside.ReserveAsync(100, TimeSpan.FromSeconds(30))).Messages)
                moved[message.Id] = (aside.Name, message);
        }

        foreach (var (id, description, message) in corrupt)
        {
            Assert.True(moved.TryGetValue(id, out var found), $"{description} ({id}) was not moved aside.");
            var reason = found.Message.Headers.TryGetValue("MT-Reason", out var r) ? r : null;
            var fault = found.Message.Headers.TryGetValue("MT-Fault-Message", out var f) ? f : null;
            output.WriteLine($"{description}: {found.Queue}, delivered {found.Message.DeliveryCount} time(s), MT-Reason '{reason}'" +
                (fault is null ? string.Empty : $", MT-Fault-Message '{fault}'"));
            Assert.False(string.IsNullOrWhiteSpace(reason), $"{description} was moved without a reason.");
            Assert.Equal(1, found.Message.DeliveryCount);
            Assert.Equal(message.Body.ToArray(), found.Message.Body);
            Assert.Equal(message.Priority, found.Message.Priority);
        }

        foreach (var (description, message) in DamagedHeaders())
        {
            Assert.True(await Harness.Consumed.Any<PingMessage>(x => x.Context.Message.Text == message.Id), $"{description} was not consumed.");
            output.WriteLine($"{description}: consumed");
        }

        Assert.Equal(2 + DamagedHeaders().Count, Harness.Consumed.Select<PingMessage>().Count());
        output.WriteLine($"corrupt {corrupt.Count}: {moved.Values.Count(m => m.Queue.EndsWith("_error"))} in _error, " +
            $"{moved.Values.Count(m => m.Queue.EndsWith("_skipped"))} in _skipped; intact envelopes with missing or damaged headers " +
            $"{DamagedHeaders().Count}: consumed; lost 0; the 2 normal messages around them consumed once each");
    }

    static string Envelope(string text) =>
        $$$"""{"messageId":"{{{NewId.NextGuid()}}}","messageType":["{{{PingUrn}}}"],"message":{"text":"{{{text}}}"}}""";

    // Intact envelopes whose headers are missing or damaged: the default (JSON) deserializer reads them, so they are consumed.
    static List<(string Description, QueueMessage Message)> DamagedHeaders() =>
    [
        ("an intact envelope without any header", new QueueMessage("no-headers-envelope", Encoding.UTF8.GetBytes(Envelope("no-headers-envelope")))),
        ("an intact envelope with Content-Type ';;;'", new QueueMessage("bad-content-type", Encoding.UTF8.GetBytes(Envelope("bad-content-type")), null,
            new Dictionary<string, string> { ["Content-Type"] = ";;;", ["MessageId"] = "not-a-guid", ["MT-Redelivery-Count"] = "many" })),
    ];

    static List<(string Id, string Description, QueueMessage Message)> CorruptMessages()
    {
        var random = new Random(5);
        var bytes = new byte[300];
        random.NextBytes(bytes);
        var envelope = Envelope("intact");
        var json = new Dictionary<string, string> { ["Content-Type"] = JsonType };
        return
        [
            ("random-bytes", "random bytes as a MassTransit JSON body", new QueueMessage("random-bytes", bytes, new MessagePriority(Urgency.High), json)),
            ("plain-text", "plain text with Content-Type text/plain",
                new QueueMessage("plain-text", "hello, not an envelope"u8.ToArray(), null, new Dictionary<string, string> { ["Content-Type"] = "text/plain" })),
            ("no-headers-text", "plain text without any header", new QueueMessage("no-headers-text", "no headers at all"u8.ToArray())),
            ("no-headers-json", "a JSON object that is not an envelope, without any header",
                new QueueMessage("no-headers-json", """{"orderId":42}"""u8.ToArray())),
            ("unknown-type", "an envelope of a message type nobody consumes",
                new QueueMessage("unknown-type", Encoding.UTF8.GetBytes(envelope.Replace(PingUrn, "urn:message:Nowhere:Unknown")), new MessagePriority(Urgency.Low, "log"), json)),
            ("truncated-json", "an envelope cut off in the middle",
                new QueueMessage("truncated-json", Encoding.UTF8.GetBytes(envelope[..(envelope.Length / 2)]), null, json)),
            ("empty-body", "an empty body", new QueueMessage("empty-body", Array.Empty<byte>(), null, json)),
        ];
    }
}

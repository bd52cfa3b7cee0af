using System.Text;
using BenchmarkDotNet.Attributes;
using MassTransit;
using MassTransit.Serialization;
using RedisPriorityTransport.Benchmarks.EndToEnd;
using RedisPriorityTransport.Transport;

namespace RedisPriorityTransport.Benchmarks.Micro;

/// <summary>
/// Per-message cost of turning a received record's body into MassTransit's consume context: the body copied out of the
/// reply and parsed from bytes (before), or parsed in place through <c>JsonMessageBody</c> (the transport's body).
/// </summary>
[MemoryDiagnoser]
public class ReceiveBodyBenchmarks
{
    // A MassTransit envelope of the end-to-end benchmark's size (about 1.1 KB) behind a record's metadata, as a reply holds it.
    static readonly string Envelope = """
        {"messageId":"0c2f0000-5b1a-0015-5d3e-08de2fb4a7c1","requestId":null,"correlationId":null,"conversationId":"0c2f0000-5b1a-0015-93c6-08de2fb4a7c2","initiatorId":null,"sourceAddress":"redis://127.0.0.1:6379/vm_bench_bus_8ydyyyfj91fwcjf4bdxw6id3g5","destinationAddress":"redis://127.0.0.1:6379/urn:message:RedisPriorityTransport.Benchmarks.EndToEnd:BenchMessage","responseAddress":null,"faultAddress":null,"messageType":["urn:message:RedisPriorityTransport.Benchmarks.EndToEnd:BenchMessage"],"message":{"number":4711,"urgency":7,"eventType":"transaction","publishedTimestamp":9876543210123,"workMilliseconds":0},"expirationTime":null,"sentTime":"2026-12-01T03:10:43.3269399Z","headers":{"Urgency":"7","EventType":"transaction"},"host":{"machineName":"bench-host","processName":"RedisPriorityTransport.Benchmarks","processId":4242,"assembly":"RedisPriorityTransport.Benchmarks","assemblyVersion":"1.0.0.0","frameworkVersion":"10.0.0","massTransitVersion":"8.5.8.0","operatingSystemVersion":"Unix 6.1.0.0"}}
        """;

    readonly SystemTextJsonMessageSerializer _serializer = SystemTextJsonMessageSerializer.Instance;
    byte[] _reply = [];
    int _bodyStart;

    /// <summary>Builds the reply: the record's metadata and event type (no headers), then the envelope.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var prefix = Encoding.UTF8.GetBytes("7,1,123456,1764558643326,11,0|transaction");
        _bodyStart = prefix.Length;
        _reply = [.. prefix, .. Encoding.UTF8.GetBytes(Envelope)];
    }

    /// <summary>The body copied out of the reply into its own array, parsed from bytes (MassTransit's path for a bytes body).</summary>
    [Benchmark(Baseline = true)]
    public BenchMessage? CopiedBytesBody() => Consume(new BytesMessageBody(_reply[_bodyStart..]));

    /// <summary>The transport's body: a view of the reply, parsed in place.</summary>
    [Benchmark]
    public BenchMessage? ReplyViewBody() => Consume(new RedisMessageBody(_reply.AsMemory(_bodyStart)));

    BenchMessage? Consume(MessageBody body) =>
        _serializer.Deserialize(body, EmptyHeaders.Instance).TryGetMessage<BenchMessage>(out var message) ? message : null;
}

using BenchmarkDotNet.Attributes;

namespace RedisPriorityTransport.Benchmarks.Micro;

/// <summary>A contract that declares its priority with the type attribute only: resolution returns a cached constant.</summary>
[MessagePriority(Urgency = Urgency.High, EventType = "alert")]
public sealed record AttributeOnlyContract(string Host);

/// <summary>A contract whose urgency and event type come from marked properties: resolution runs compiled readers.</summary>
[MessagePriority(EventType = "transaction")]
public sealed record PropertyMarkedContract(decimal Amount, [property: Urgency] int Urgency, [property: EventType] string? Kind);

/// <summary>Per-message cost of reading a contract's declared priority, and of packing a score.</summary>
[MemoryDiagnoser]
public class PriorityModelBenchmarks
{
    readonly AttributeOnlyContract _attributeOnly = new("db-1");
    readonly PropertyMarkedContract _propertyMarked = new(12.5m, 7, "transaction");
    readonly object _propertyMarkedAsObject = new PropertyMarkedContract(12.5m, 3, null);
    Urgency _urgency = Urgency.High;
    int _rank = 1;
    long _sequence = 123_456_789;

    /// <summary><see cref="MessagePriorityResolver.Resolve{T}(T)"/> on a contract with the type attribute only.</summary>
    [Benchmark(Baseline = true)]
    public DeclaredPriority ResolveAttributeOnly() => MessagePriorityResolver.Resolve(_attributeOnly);

    /// <summary><see cref="MessagePriorityResolver.Resolve{T}(T)"/> on a contract with [Urgency] and [EventType] properties.</summary>
    [Benchmark]
    public DeclaredPriority ResolvePropertyMarked() => MessagePriorityResolver.Resolve(_propertyMarked);

    /// <summary><see cref="MessagePriorityResolver.Resolve(object)"/>: the runtime-type lookup a transport does for an object message.</summary>
    [Benchmark]
    public DeclaredPriority ResolvePropertyMarkedByRuntimeType() => MessagePriorityResolver.Resolve(_propertyMarkedAsObject);

    /// <summary><see cref="PriorityScore.Encode"/> with validation of each field.</summary>
    [Benchmark]
    public long EncodeScore()
    {
        _sequence++;
        return PriorityScore.Encode(_urgency, _rank, _sequence);
    }

    /// <summary>Keeps the encoder's arguments from being constant-folded.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _urgency = (Urgency)(Environment.ProcessorCount % 11);
        _rank = Environment.ProcessorCount % 3;
    }
}

namespace RedisPriorityTransport;

/// <summary>One message whole: what a browse lists, plus its headers and body.</summary>
public sealed record MessageDetails : MessageSummary
{
    /// <summary>Its headers, as stored.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Its body, byte for byte (a MassTransit envelope, usually JSON).</summary>
    public ReadOnlyMemory<byte> Body { get; init; }
}

using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MassTransit;

namespace RedisPriorityTransport.Transport;

/// <summary>
/// A received body as a view of the reserve's reply. MassTransit's JSON serializers parse it in place through
/// <see cref="JsonMessageBody"/> (one pass, no copy); other serializers get the bytes, copied once on first use.
/// </summary>
internal sealed class RedisMessageBody : MessageBody, JsonMessageBody
{
    readonly ReadOnlyMemory<byte> _body;
    byte[]? _bytes;

    public RedisMessageBody(ReadOnlyMemory<byte> body)
    {
        _body = body;
    }

    public long? Length => _body.Length;

    public Stream GetStream() =>
        MemoryMarshal.TryGetArray(_body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(GetBytes(), writable: false);

    public byte[] GetBytes() => _bytes ??= _body.ToArray();

    public string GetString() => Encoding.UTF8.GetString(_body.Span);

    // The document is not disposed: the element may be read for as long as the consume context lives (MassTransit's
    // raw JSON serializer keeps it), so its pooled buffers are left to the garbage collector.
    public JsonElement? GetJsonElement(JsonSerializerOptions options) =>
        JsonDocument.Parse(_body, new JsonDocumentOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas,
            CommentHandling = options.ReadCommentHandling,
            MaxDepth = options.MaxDepth,
        }).RootElement;
}

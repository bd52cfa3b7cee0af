using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;

namespace RedisPriorityTransport.Transport;

/// <summary>
/// A message redelivered in place keeps its stored body; its redelivery count is a transport header of the record.
/// MassTransit's envelope serializer reads headers from the envelope only, so for a redelivered message the receive
/// context presents the envelope with <c>MT-Redelivery-Count</c> set from the transport header. Only redelivered
/// messages pay for this; raw JSON messages read transport headers directly and are left as they are.
/// </summary>
internal static class RedeliveredEnvelope
{
    const string EnvelopeContentType = "application/vnd.masstransit+json";

    public static byte[] WithRedeliveryCount(ReservedMessage message, int redeliveryCount)
    {
        if (!message.Headers.TryGetValue(MessageHeaders.ContentType, out var contentType)
            || !contentType.StartsWith(EnvelopeContentType, StringComparison.OrdinalIgnoreCase))
            return message.Body;
        try
        {
            if (JsonNode.Parse(message.Body) is not JsonObject envelope)
                return message.Body;
            if (envelope["headers"] is not JsonObject headers)
            {
                headers = new JsonObject();
                envelope["headers"] = headers;
            }

            headers[MessageHeaders.RedeliveryCount] = redeliveryCount;
            return JsonSerializer.SerializeToUtf8Bytes(envelope);
        }
        catch (JsonException)
        {
            // Not an envelope after all: MassTransit reports it as it would have anyway.
            return message.Body;
        }
    }
}

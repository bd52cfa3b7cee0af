using System.Globalization;
using MassTransit;
using RedisPriorityTransport.Monitoring;

namespace RedisPriorityTransport.Transport;

/// <summary>Turns MassTransit's typed headers into the string headers the queue stores.</summary>
internal static class TransportHeaders
{
    /// <summary>
    /// The headers to store with an outgoing message: all of them except those its record already holds (its
    /// <c>MessageId</c> is the record's id, <c>Urgency</c> and <c>EventType</c> its priority). Storing them twice cost
    /// about 80 bytes a message, and more where it pushed the record into the allocator's next size class; the receive
    /// side gives them back (<see cref="StringHeaderProvider"/>).
    /// </summary>
    public static Dictionary<string, string> ToStored(Headers headers)
    {
        var result = ToStrings(headers);
        result.Remove(MessageHeaders.MessageId);
        result.Remove(PriorityHeaders.Urgency);
        result.Remove(PriorityHeaders.EventType);
        return result;
    }

    public static Dictionary<string, string> ToStrings(Headers headers)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in headers.GetAll())
        {
            var text = value switch
            {
                null => null,
                string s => s,
                DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
                DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
                Uri u => u.ToString(),
                bool b => b ? bool.TrueString : bool.FalseString,
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                // Anything else (a list, a dictionary, an object) travels as JSON instead of being dropped.
                _ => ToJson(key, value),
            };
            if (text is not null)
                result[key] = text;
        }

        return result;
    }

    static string ToJson(string key, object value)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Serialize(value, value.GetType());
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new ArgumentException($"Header '{key}' holds a {value.GetType().Name} that is neither a simple value nor serializable as JSON: "
                + exception.Message, nameof(value), exception);
        }
    }
}

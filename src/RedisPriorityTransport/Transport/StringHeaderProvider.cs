using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using MassTransit;
using MassTransit.Transports;

namespace RedisPriorityTransport.Transport;

/// <summary>
/// The transport headers of a received message: those stored with it, and those its record holds instead of storing
/// them twice (<c>MessageId</c> from its id, <c>Urgency</c> and <c>EventType</c> from its priority in the queue now,
/// which an operator may have changed since it was sent). A stored header of the same name wins.
/// </summary>
internal sealed class StringHeaderProvider(ReservedMessage message) : IHeaderProvider
{
    public IEnumerable<KeyValuePair<string, object>> GetAll()
    {
        foreach (var pair in message.Headers)
            yield return new KeyValuePair<string, object>(pair.Key, pair.Value);
        foreach (var (name, value) in Derived())
        {
            if (!message.Headers.ContainsKey(name))
                yield return new KeyValuePair<string, object>(name, value);
        }
    }

    public bool TryGetHeader(string key, [NotNullWhen(true)] out object? value)
    {
        if (message.Headers.TryGetValue(key, out var text))
        {
            value = text;
            return true;
        }

        value = DerivedValue(key);
        return value is not null;
    }

    IEnumerable<(string Name, string Value)> Derived()
    {
        yield return (MessageHeaders.MessageId, message.Id);
        yield return (PriorityHeaders.Urgency, UrgencyText);
        if (message.Priority.EventType is { } eventType)
            yield return (PriorityHeaders.EventType, eventType);
    }

    string? DerivedValue(string key) => key switch
    {
        MessageHeaders.MessageId => message.Id,
        PriorityHeaders.Urgency => UrgencyText,
        PriorityHeaders.EventType => message.Priority.EventType,
        _ => null,
    };

    string UrgencyText => ((int)message.Priority.Urgency).ToString(CultureInfo.InvariantCulture);
}

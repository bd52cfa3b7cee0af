using System.Globalization;
using MassTransit;

namespace RedisPriorityTransport.Transport;

/// <summary>
/// Decides the priority of an outgoing message and writes it into the <c>Urgency</c> and <c>EventType</c> headers.
/// Those names have no <c>MT-</c> prefix, so MassTransit copies them onto every message a consumer sends or publishes:
/// that is how priority is inherited. Explicit per-send choices go into <c>MT-</c> headers, which are not inherited.
/// </summary>
internal static class PriorityHeaders
{
    public const string Urgency = "Urgency";
    public const string EventType = "EventType";
    public const string ExplicitUrgency = "MT-Explicit-Urgency";
    public const string ExplicitEventType = "MT-Explicit-EventType";

    /// <summary>
    /// Explicit choice, then what the message declares, then what the message being consumed carried, then
    /// <see cref="RedisPriorityTransport.Urgency.Normal"/>.
    /// </summary>
    /// <exception cref="InvalidUrgencyException">The message declares an urgency outside 0..10.</exception>
    public static MessagePriority Resolve<T>(SendContext<T> context) where T : class
    {
        var declared = MessagePriorityResolver.Resolve(context.Message);
        var explicitUrgency = ReadUrgency(context.Headers, ExplicitUrgency);
        var explicitEventType = ReadText(context.Headers, ExplicitEventType);

        // A message consumed from a Redis queue passes on the priority it has there now, which an operator may have
        // changed since it was sent (its headers still say what it was sent with). Otherwise: headers copied from the
        // consumed message onto the send context, then the consumed message's own headers.
        Urgency? inheritedUrgency = null;
        string? inheritedEventType = null;
        var consuming = context.TryGetPayload<ConsumeContext>(out var consumed);
        if (consuming && consumed!.ReceiveContext is RedisMessageContext redis)
            (inheritedUrgency, inheritedEventType) = (redis.Priority.Urgency, redis.Priority.EventType);
        else
        {
            inheritedUrgency = ReadUrgency(context.Headers, Urgency);
            inheritedEventType = ReadText(context.Headers, EventType);
            if (consuming && (inheritedUrgency is null || inheritedEventType is null))
            {
                inheritedUrgency ??= ReadUrgency(consumed!.Headers, Urgency);
                inheritedEventType ??= ReadText(consumed!.Headers, EventType);
            }
        }

        var urgency = explicitUrgency ?? declared.Urgency ?? inheritedUrgency ?? RedisPriorityTransport.Urgency.Normal;
        var eventType = explicitEventType ?? declared.EventType ?? inheritedEventType;
        if (eventType is not null)
            EventTypeRanking.ValidateName(eventType, nameof(EventType));

        context.Headers.Set(Urgency, ((int)urgency).ToString(CultureInfo.InvariantCulture));
        context.Headers.Set(EventType, eventType);
        return new MessagePriority(urgency, eventType);
    }

    static Urgency? ReadUrgency(Headers headers, string name) =>
        ReadText(headers, name) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            && UrgencyScale.IsValid(value)
            ? (Urgency)value
            : null;

    static string? ReadText(Headers headers, string name) =>
        headers.TryGetHeader(name, out var value) && value is not null
            ? Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } text ? text : null
            : null;
}

using System.Globalization;
using MassTransit;
using RedisPriorityTransport.Transport;

namespace RedisPriorityTransport;

/// <summary>Per-send priority overrides for the Redis priority transport; they win over everything the message declares or inherits.</summary>
public static class PrioritySendContextExtensions
{
    /// <summary>Sends this message with <paramref name="urgency"/>, whatever the message declares or inherits.</summary>
    /// <exception cref="InvalidUrgencyException">The urgency is outside 0..10.</exception>
    public static void SetUrgency(this SendContext context, Urgency urgency)
    {
        ArgumentNullException.ThrowIfNull(context);
        var value = UrgencyScale.Validate((int)urgency, MessageTypeOf(context));
        context.Headers.Set(PriorityHeaders.ExplicitUrgency, ((int)value).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Sends this message with event type <paramref name="eventType"/>, whatever the message declares or inherits.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long or holds control characters.</exception>
    public static void SetEventType(this SendContext context, string eventType)
    {
        ArgumentNullException.ThrowIfNull(context);
        EventTypeRanking.ValidateName(eventType, nameof(eventType));
        context.Headers.Set(PriorityHeaders.ExplicitEventType, eventType);
    }

    static Type? MessageTypeOf(SendContext context)
    {
        var type = context.GetType();
        return type.IsGenericType ? type.GetGenericArguments()[0] : null;
    }
}

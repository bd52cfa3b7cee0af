namespace RedisPriorityTransport;

/// <summary>Marks a <c>string</c> property whose value is the message's event type.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class EventTypeAttribute : Attribute;

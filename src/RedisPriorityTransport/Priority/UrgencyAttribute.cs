namespace RedisPriorityTransport;

/// <summary>Marks an <c>int</c> or <see cref="RedisPriorityTransport.Urgency"/> property whose value is the message's urgency.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class UrgencyAttribute : Attribute;

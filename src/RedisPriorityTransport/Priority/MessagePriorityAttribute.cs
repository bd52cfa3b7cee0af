namespace RedisPriorityTransport;

/// <summary>
/// Declares the default priority of a message contract. Per-instance values come from properties marked
/// <see cref="UrgencyAttribute"/> and <see cref="EventTypeAttribute"/>.
/// </summary>
/// <example><code>[MessagePriority(Urgency = Urgency.High, EventType = "alert")]
/// public record DiskFull(string Host);</code></example>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, Inherited = true)]
public sealed class MessagePriorityAttribute : Attribute
{
    Urgency _urgency = Urgency.Normal;

    /// <summary>The default urgency of the contract.</summary>
    public Urgency Urgency
    {
        get => _urgency;
        set
        {
            _urgency = value;
            HasUrgency = true;
        }
    }

    /// <summary>The event type of the contract, ranked by the queue's configuration.</summary>
    public string? EventType { get; set; }

    /// <summary>True when <see cref="Urgency"/> was set explicitly.</summary>
    public bool HasUrgency { get; private set; }
}

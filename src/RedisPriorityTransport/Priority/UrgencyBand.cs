namespace RedisPriorityTransport;

/// <summary>The three reporting bands of the urgency scale.</summary>
public enum UrgencyBand
{
    /// <summary>Urgency 0 to 3.</summary>
    Low = 0,
    /// <summary>Urgency 4 to 7.</summary>
    Normal = 1,
    /// <summary>Urgency 8 to 10.</summary>
    High = 2,
}

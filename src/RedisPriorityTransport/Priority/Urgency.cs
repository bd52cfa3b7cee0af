namespace RedisPriorityTransport;

/// <summary>
/// How urgent a message is, on a 0..10 scale where a higher value is delivered first.
/// <see cref="Normal"/> is the default for messages that say nothing.
/// </summary>
public enum Urgency
{
    /// <summary>0: work that can wait for everything else.</summary>
    Lowest = 0,
    /// <summary>1: housekeeping and maintenance.</summary>
    Maintenance = 1,
    /// <summary>2: background work.</summary>
    Background = 2,
    /// <summary>3: low urgency.</summary>
    Low = 3,
    /// <summary>4: slightly below normal.</summary>
    BelowNormal = 4,
    /// <summary>5: the default.</summary>
    Normal = 5,
    /// <summary>6: slightly above normal.</summary>
    AboveNormal = 6,
    /// <summary>7: high urgency.</summary>
    High = 7,
    /// <summary>8: moved ahead of normal work by an operator.</summary>
    Prioritize = 8,
    /// <summary>9: urgent.</summary>
    Urgent = 9,
    /// <summary>10: the most urgent; delivered before anything else.</summary>
    Critical = 10,
}

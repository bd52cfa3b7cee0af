namespace RedisPriorityTransport;

/// <summary>At most <see cref="Messages"/> messages started per <see cref="Interval"/>, across every consumer of a queue.</summary>
public sealed record RateLimit
{
    /// <summary>Creates a limit; <paramref name="messages"/> must be positive and <paramref name="interval"/> at least a millisecond.</summary>
    public RateLimit(int messages, TimeSpan interval)
    {
        if (messages <= 0)
            throw new ArgumentOutOfRangeException(nameof(messages), messages, "A rate limit allows at least one message per interval.");
        if (interval < TimeSpan.FromMilliseconds(1))
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A rate limit's interval is at least one millisecond.");
        Messages = messages;
        Interval = interval;
    }

    /// <summary>How many messages may start per interval.</summary>
    public int Messages { get; }

    /// <summary>The interval.</summary>
    public TimeSpan Interval { get; }
}

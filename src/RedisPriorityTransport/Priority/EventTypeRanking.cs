namespace RedisPriorityTransport;

/// <summary>
/// Ranks free-form event types, highest first. A missing or unranked event type sorts after every ranked one of
/// the same urgency; it is never an error. Names compare case-insensitively.
/// </summary>
public sealed class EventTypeRanking
{
    /// <summary>The most event types a ranking may hold (the width of the rank field in the score).</summary>
    public const int MaxRankedTypes = PriorityScore.UnrankedRank;

    /// <summary>The longest event type name accepted.</summary>
    public const int MaxEventTypeLength = 200;

    readonly Dictionary<string, int> _ranks;

    /// <summary>Creates a ranking from event types listed highest first.</summary>
    /// <param name="highestFirst">Distinct, non-empty event type names, the most important first.</param>
    /// <exception cref="ArgumentException">A name is empty, too long, repeated, or there are too many.</exception>
    public EventTypeRanking(IEnumerable<string> highestFirst)
    {
        ArgumentNullException.ThrowIfNull(highestFirst);
        var names = highestFirst.ToArray();
        if (names.Length > MaxRankedTypes)
            throw new ArgumentException($"At most {MaxRankedTypes} event types can be ranked; {names.Length} were given.", nameof(highestFirst));

        _ranks = new Dictionary<string, int>(names.Length, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i];
            ValidateName(name, nameof(highestFirst));
            if (!_ranks.TryAdd(name, i))
                throw new ArgumentException($"Event type '{name}' is ranked twice.", nameof(highestFirst));
        }

        HighestFirst = names;
    }

    /// <summary>A ranking with no ranked types: every message sorts by urgency and enqueue order only.</summary>
    public static EventTypeRanking None { get; } = new([]);

    /// <summary>The ranked event types, highest first.</summary>
    public IReadOnlyList<string> HighestFirst { get; }

    /// <summary>
    /// The rank of <paramref name="eventType"/>: 0 for the highest ranked type, <see cref="PriorityScore.UnrankedRank"/>
    /// for a missing or unknown one.
    /// </summary>
    public int RankOf(string? eventType) =>
        eventType is not null && _ranks.TryGetValue(eventType, out var rank) ? rank : PriorityScore.UnrankedRank;

    /// <summary>Throws when an event type name cannot be stored: empty, whitespace only, too long or with control characters.</summary>
    /// <exception cref="ArgumentException">The name is unusable.</exception>
    public static void ValidateName(string? eventType, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(eventType))
            throw new ArgumentException("An event type must not be null, empty or whitespace.", parameterName);
        if (eventType.Length > MaxEventTypeLength)
            throw new ArgumentException($"Event type '{eventType[..40]}…' is {eventType.Length} characters long; at most {MaxEventTypeLength} are allowed.", parameterName);
        if (eventType.Any(char.IsControl))
            throw new ArgumentException($"Event type '{eventType}' contains a control character.", parameterName);
    }
}

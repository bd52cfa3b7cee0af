namespace RedisPriorityTransport;

/// <summary>Validation and banding for <see cref="Urgency"/> values.</summary>
public static class UrgencyScale
{
    /// <summary>The lowest valid urgency.</summary>
    public const int Min = (int)Urgency.Lowest;

    /// <summary>The highest valid urgency.</summary>
    public const int Max = (int)Urgency.Critical;

    /// <summary>The number of distinct urgencies.</summary>
    public const int Count = Max - Min + 1;

    /// <summary>All urgencies, most urgent first.</summary>
    public static IReadOnlyList<Urgency> MostUrgentFirst { get; } =
        Enumerable.Range(Min, Count).Reverse().Select(value => (Urgency)value).ToArray();

    /// <summary>True when <paramref name="value"/> lies on the 0..10 scale.</summary>
    public static bool IsValid(int value) => value is >= Min and <= Max;

    /// <summary>
    /// Converts <paramref name="value"/> to an <see cref="Urgency"/>, rejecting anything off the scale.
    /// Values are never clamped: an out-of-range urgency is a bug in the sender.
    /// </summary>
    /// <param name="value">The raw urgency.</param>
    /// <param name="messageType">The message type the value belongs to, named in the exception.</param>
    /// <exception cref="InvalidUrgencyException">The value is outside 0..10.</exception>
    public static Urgency Validate(int value, Type? messageType = null)
    {
        if (!IsValid(value))
            throw new InvalidUrgencyException(value, messageType);
        return (Urgency)value;
    }

    /// <summary>The reporting band of a valid urgency.</summary>
    /// <exception cref="InvalidUrgencyException">The value is outside 0..10.</exception>
    public static UrgencyBand BandOf(Urgency urgency) => (int)Validate((int)urgency) switch
    {
        <= 3 => UrgencyBand.Low,
        <= 7 => UrgencyBand.Normal,
        _ => UrgencyBand.High,
    };

    /// <summary>The urgencies a band covers, lowest first.</summary>
    public static (Urgency Lowest, Urgency Highest) RangeOf(UrgencyBand band) => band switch
    {
        UrgencyBand.Low => (Urgency.Lowest, Urgency.Low),
        UrgencyBand.Normal => (Urgency.BelowNormal, Urgency.High),
        UrgencyBand.High => (Urgency.Prioritize, Urgency.Critical),
        _ => throw new ArgumentOutOfRangeException(nameof(band), band, "Unknown urgency band."),
    };
}

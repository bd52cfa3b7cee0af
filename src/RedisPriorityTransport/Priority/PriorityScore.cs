namespace RedisPriorityTransport;

/// <summary>
/// The sorted-set score that orders a queue: urgency (descending), then event-type rank, then enqueue sequence.
/// The score is an integer below 2^53, so a Redis score (an IEEE double) holds it exactly; see docs/wire-format.md.
/// </summary>
/// <remarks>
/// Layout, most significant first: 4 bits of inverted urgency (10 - urgency), 8 bits of rank, 41 bits of sequence.
/// The enqueue script computes the same value in Lua; this type is the reference for tests, tools and decoding.
/// </remarks>
internal static class PriorityScore
{
    /// <summary>Bits of the enqueue sequence: 2^41 (about 2.2 trillion) messages per queue.</summary>
    public const int SequenceBits = 41;

    /// <summary>Bits of the event-type rank.</summary>
    public const int RankBits = 8;

    /// <summary>The rank given to a missing or unranked event type: the last place within its urgency.</summary>
    public const int UnrankedRank = (1 << RankBits) - 1;

    /// <summary>The largest sequence number the score can hold.</summary>
    public const long MaxSequence = (1L << SequenceBits) - 1;

    const int RankShift = SequenceBits;
    const int UrgencyShift = SequenceBits + RankBits;

    /// <summary>Encodes a position in the order. Lower scores are delivered first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field does not fit its width.</exception>
    public static long Encode(Urgency urgency, int rank, long sequence)
    {
        var value = (int)UrgencyScale.Validate((int)urgency);
        if (rank is < 0 or > UnrankedRank)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank must be 0..{UnrankedRank}.");
        if (sequence is < 0 or > MaxSequence)
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"Sequence must be 0..{MaxSequence}.");
        return ((long)(UrgencyScale.Max - value) << UrgencyShift) | ((long)rank << RankShift) | sequence;
    }

    /// <summary>Splits a score into its urgency, rank and sequence.</summary>
    public static (Urgency Urgency, int Rank, long Sequence) Decode(long score)
    {
        if (score < 0 || score >= LowestScoreOf(Urgency.Lowest) + (1L << UrgencyShift))
            throw new ArgumentOutOfRangeException(nameof(score), score, "Not a priority score.");
        return ((Urgency)(UrgencyScale.Max - (int)(score >> UrgencyShift)),
            (int)((score >> RankShift) & UnrankedRank),
            score & MaxSequence);
    }

    /// <summary>The first score of an urgency's range; its range ends just before the next lower urgency's first score.</summary>
    public static long LowestScoreOf(Urgency urgency) => (long)(UrgencyScale.Max - (int)urgency) << UrgencyShift;

    /// <summary>The last score an urgency's range can hold.</summary>
    public static long HighestScoreOf(Urgency urgency) => LowestScoreOf(urgency) + (1L << UrgencyShift) - 1;
}

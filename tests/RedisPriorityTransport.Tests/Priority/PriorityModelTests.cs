namespace RedisPriorityTransport.Tests.Priority;

public class PriorityModelTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    [InlineData(int.MaxValue)]
    public void Urgency_off_the_scale_is_rejected_naming_value_and_type(int value)
    {
        var exception = Assert.Throws<InvalidUrgencyException>(() => UrgencyScale.Validate(value, typeof(PriorityModelTests)));
        Assert.Equal(value, exception.Value);
        Assert.Contains(value.ToString(), exception.Message);
        Assert.Contains(nameof(PriorityModelTests), exception.Message);
    }

    [Theory]
    [InlineData(Urgency.Lowest, UrgencyBand.Low)]
    [InlineData(Urgency.Low, UrgencyBand.Low)]
    [InlineData(Urgency.BelowNormal, UrgencyBand.Normal)]
    [InlineData(Urgency.High, UrgencyBand.Normal)]
    [InlineData(Urgency.Prioritize, UrgencyBand.High)]
    [InlineData(Urgency.Critical, UrgencyBand.High)]
    public void Bands_cover_the_scale(Urgency urgency, UrgencyBand band)
    {
        Assert.Equal(band, UrgencyScale.BandOf(urgency));
        var (lowest, highest) = UrgencyScale.RangeOf(band);
        Assert.InRange(urgency, lowest, highest);
    }

    [Fact]
    public void Urgency_names_match_the_scale()
    {
        Assert.Equal(5, (int)Urgency.Normal);
        Assert.Equal(8, (int)Urgency.Prioritize);
        Assert.Equal(10, (int)Urgency.Critical);
        Assert.Equal(11, Enum.GetValues<Urgency>().Length);
        Assert.Equal(Urgency.Critical, UrgencyScale.MostUrgentFirst[0]);
    }

    [Fact]
    public void Ranking_puts_unknown_and_missing_types_last()
    {
        var ranking = new EventTypeRanking(["alert", "transaction", "log"]);
        Assert.Equal(0, ranking.RankOf("alert"));
        Assert.Equal(0, ranking.RankOf("ALERT"));
        Assert.Equal(2, ranking.RankOf("log"));
        Assert.Equal(PriorityScore.UnrankedRank, ranking.RankOf("audit"));
        Assert.Equal(PriorityScore.UnrankedRank, ranking.RankOf(null));
    }

    [Fact]
    public void Ranking_rejects_repeats_blanks_and_too_many_types()
    {
        Assert.Contains("'Alert' is ranked twice", Assert.Throws<ArgumentException>(() => new EventTypeRanking(["alert", "Alert"])).Message);
        Assert.Throws<ArgumentException>(() => new EventTypeRanking(["alert", " "]));
        Assert.Throws<ArgumentException>(() => new EventTypeRanking(Enumerable.Range(0, 256).Select(i => $"t{i}")));
        Assert.Equal(255, new EventTypeRanking(Enumerable.Range(0, 255).Select(i => $"t{i}")).HighestFirst.Count);
    }

    [Fact]
    public void Score_orders_urgency_then_rank_then_sequence_without_fields_overflowing()
    {
        // The last sequence of one class must stay below the first of the next, at every boundary.
        Assert.True(PriorityScore.Encode(Urgency.Critical, 0, PriorityScore.MaxSequence) < PriorityScore.Encode(Urgency.Critical, 1, 0));
        Assert.True(PriorityScore.Encode(Urgency.Critical, PriorityScore.UnrankedRank, PriorityScore.MaxSequence) < PriorityScore.Encode(Urgency.Urgent, 0, 0));
        Assert.True(PriorityScore.Encode(Urgency.Normal, 3, 1L << 40) < PriorityScore.Encode(Urgency.Normal, 3, (1L << 40) + 1));
        var highest = PriorityScore.Encode(Urgency.Lowest, PriorityScore.UnrankedRank, PriorityScore.MaxSequence);
        Assert.True(highest < 1L << 53, "every score must be exact as a double");
        Assert.Equal(highest, (long)(double)highest);
        Assert.True(PriorityScore.MaxSequence >= 1L << 40);
    }

    [Theory]
    [InlineData(Urgency.Critical, 0, 1L)]
    [InlineData(Urgency.Lowest, 255, 2199023255551L)]
    [InlineData(Urgency.Normal, 7, 1099511627776L)]
    public void Score_round_trips(Urgency urgency, int rank, long sequence)
    {
        var score = PriorityScore.Encode(urgency, rank, sequence);
        Assert.Equal((urgency, rank, sequence), PriorityScore.Decode(score));
        Assert.InRange(score, PriorityScore.LowestScoreOf(urgency), PriorityScore.HighestScoreOf(urgency));
    }

    [Fact]
    public void Score_refuses_fields_that_do_not_fit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PriorityScore.Encode(Urgency.Normal, 256, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PriorityScore.Encode(Urgency.Normal, 0, PriorityScore.MaxSequence + 1));
        Assert.Throws<InvalidUrgencyException>(() => PriorityScore.Encode((Urgency)11, 0, 0));
    }
}

namespace RedisPriorityTransport.Dashboard.Tests;

/// <summary>The dashboard's options are checked when it is mapped, with a message naming the bad value.</summary>
public sealed class DashboardOptionsTests
{
    [Theory]
    [InlineData("a{b}:")]
    [InlineData("ops dash:")]
    [InlineData("x}")]
    public void A_key_prefix_that_could_hold_a_hash_tag_or_is_no_prefix_of_the_bus_is_refused(string prefix)
    {
        var error = Assert.Throws<ArgumentException>(() => new DashboardOptions { KeyPrefix = prefix }.Validate());
        Assert.Equal(nameof(DashboardOptions.KeyPrefix), error.ParamName);
        Assert.Contains(prefix, error.Message);
    }

    [Fact]
    public void A_key_prefix_the_bus_would_accept_is_accepted()
    {
        new DashboardOptions { KeyPrefix = "rpt-prod.eu:" }.Validate();
        new DashboardOptions { KeyPrefix = null }.Validate();
    }
}

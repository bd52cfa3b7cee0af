namespace RedisPriorityTransport.Tests.Priority;

public class MessagePriorityResolverTests
{
    [MessagePriority(Urgency = Urgency.High, EventType = "alert")]
    public record DiskFull(string Host);

    public record Plain(string Text);

    [MessagePriority(EventType = "transaction")]
    public record Payment(decimal Amount, [property: Urgency] int Level);

    [MessagePriority(Urgency = Urgency.Low)]
    public record Audit([property: Urgency] Urgency? Override, [property: EventType] string? Kind);

    [MessagePriority(Urgency = Urgency.Urgent, EventType = "alert")]
    public interface IAlarm
    {
        string Source { get; }
    }

    public record Alarm(string Source) : IAlarm;

    public record TwoUrgencies([property: Urgency] int A, [property: Urgency] int B);

    public record WrongType([property: Urgency] string Level);

    [Fact]
    public void Attribute_gives_the_defaults()
    {
        Assert.Equal(new DeclaredPriority(Urgency.High, "alert"), MessagePriorityResolver.Resolve(new DiskFull("db1")));
    }

    [Fact]
    public void Nothing_declared_leaves_both_parts_open()
    {
        var declared = MessagePriorityResolver.Resolve(new Plain("x"));
        Assert.Equal(DeclaredPriority.None, declared);
        Assert.Equal(new MessagePriority(Urgency.Critical, "log"), declared.Or(new MessagePriority(Urgency.Critical, "log")));
    }

    [Fact]
    public void Properties_override_the_attribute_per_instance()
    {
        Assert.Equal(new DeclaredPriority((Urgency)9, "transaction"), MessagePriorityResolver.Resolve(new Payment(10m, 9)));
        Assert.Equal(new DeclaredPriority(Urgency.Critical, "log"), MessagePriorityResolver.Resolve(new Audit(Urgency.Critical, "log")));
        // A null or empty property falls back to the attribute.
        Assert.Equal(new DeclaredPriority(Urgency.Low, null), MessagePriorityResolver.Resolve(new Audit(null, "")));
    }

    [Fact]
    public void Interface_contracts_carry_their_attribute_to_implementations()
    {
        IAlarm alarm = new Alarm("sensor");
        Assert.Equal(new DeclaredPriority(Urgency.Urgent, "alert"), MessagePriorityResolver.Resolve(alarm));
        Assert.Equal(new DeclaredPriority(Urgency.Urgent, "alert"), MessagePriorityResolver.Resolve((object)alarm));
    }

    [Fact]
    public void Urgency_property_off_the_scale_names_value_and_type()
    {
        var exception = Assert.Throws<InvalidUrgencyException>(() => MessagePriorityResolver.Resolve(new Payment(1m, 42)));
        Assert.Contains("42", exception.Message);
        Assert.Contains(nameof(Payment), exception.Message);
    }

    [Fact]
    public void Badly_marked_contracts_are_explained()
    {
        Assert.Contains("mark at most one", Assert.Throws<InvalidOperationException>(() => MessagePriorityResolver.Resolve(new TwoUrgencies(1, 2))).Message);
        Assert.Contains("use int, Urgency", Assert.Throws<InvalidOperationException>(() => MessagePriorityResolver.Resolve(new WrongType("high"))).Message);
    }
}

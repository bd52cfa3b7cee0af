using StackExchange.Redis;

namespace RedisPriorityTransport.Tests.Redis;

public class BadInputTests : QueueTestBase
{
    [Theory]
    [InlineData("")]
    [InlineData("orders{x}")]
    [InlineData("two words")]
    [InlineData("tab\tname")]
    [InlineData("colon:name")]
    public void Unusable_queue_names_are_refused_with_the_name(string name)
    {
        var exception = Assert.Throws<ArgumentException>(() => Queue(name));
        Assert.Equal("queueName", exception.ParamName);
        if (name.Length > 0)
            Assert.Contains(name.Replace("\t", "\\u0009"), exception.Message.Replace("\t", "\\u0009"));
    }

    [Fact]
    public void Null_and_overlong_queue_names_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Queue(null!));
        Assert.Contains("201 characters", Assert.Throws<ArgumentException>(() => Queue(new string('q', 201))).Message);
        Assert.Equal(new string('q', 200), Queue(new string('q', 200)).Name);
    }

    [Fact]
    public void Unusable_key_prefixes_and_settings_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new PriorityQueueSettings { KeyPrefix = "{app}" });
        Assert.Throws<ArgumentNullException>(() => new PriorityQueueSettings { KeyPrefix = null! });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PriorityQueueSettings { MaxDeliveryCount = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PriorityQueueSettings { MaxBodyBytes = -1 });
    }

    [Fact]
    public async Task Bad_messages_are_refused_and_nothing_is_written()
    {
        var queue = Queue(configure: s => s.MaxBodyBytes = 1024);

        Assert.Throws<ArgumentNullException>(() => new PriorityQueueSettings().Ranking = null!);
        await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync(new QueueMessage(null!, new byte[1])));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync(Message("")));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync(Message("with space")));
        var urgency = await Assert.ThrowsAsync<InvalidUrgencyException>(() => queue.EnqueueAsync(Message("u", urgency: 11)));
        Assert.Contains("11", urgency.Message);
        await Assert.ThrowsAsync<InvalidUrgencyException>(() => queue.EnqueueAsync(Message("u", urgency: -1)));
        var size = await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync(new QueueMessage("big", new byte[1025])));
        Assert.Contains("1025 bytes", size.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync(Message("e", eventType: " ")));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync(Message("h", headers: new Dictionary<string, string> { [""] = "x" })));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.EnqueueAsync(Message("d", delay: TimeSpan.FromSeconds(-1))));
        // One bad message spoils the whole batch before anything is sent.
        await Assert.ThrowsAsync<InvalidUrgencyException>(() => queue.EnqueueBatchAsync([Message("fine"), Message("bad", urgency: 42)]));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueBatchAsync([Message("fine"), null!]));

        Assert.Empty(QueueKeysOfThisTest());
    }

    [Fact]
    public async Task Bad_arguments_to_the_other_operations_are_refused()
    {
        var queue = Queue();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReserveAsync(-1, TimeSpan.FromSeconds(1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReserveAsync(1, TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.AcknowledgeAsync("", 1));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.ReleaseAsync(null!, 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReleaseAsync("x", 1, TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.MoveAsync("x", 1, queue.ErrorQueueName, " "));
        await Assert.ThrowsAsync<InvalidUrgencyException>(() => queue.ChangePriorityAsync("x", new MessagePriority((Urgency)12)));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.CancelAsync(""));
        await Assert.ThrowsAsync<ArgumentException>(() => RedisPriorityQueue.ConnectAsync(" ", "orders"));

        Assert.Empty(QueueKeysOfThisTest());
    }

    [Fact]
    public async Task A_queue_can_open_and_own_its_connection_from_a_configuration_string()
    {
        await using var queue = await RedisPriorityQueue.ConnectAsync(Server.Configuration, "owned",
            new PriorityQueueSettings { KeyPrefix = KeyPrefix });
        await queue.EnqueueAsync(Message("a"));

        Assert.Equal(["a"], await queue.PeekAsync(10));
        await queue.DeleteAsync();
        Assert.Empty(QueueKeysOfThisTest());
    }
}

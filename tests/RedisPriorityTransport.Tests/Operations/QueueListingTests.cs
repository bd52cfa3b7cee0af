using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Operations;

public class QueueListingTests : AdminTestBase
{
    public QueueListingTests()
    {
    }

    protected QueueListingTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    [RedisFact]
    public async Task Lists_every_queue_with_counts_per_urgency_and_band_and_the_dead_letter_depths()
    {
        var orders = Queue("orders");
        var billing = Queue("billing");
        await FillAsync(orders, ("a", 10), ("b", 9), ("c", 5), ("d", 5), ("e", 0));
        await orders.EnqueueAsync(Message("later", 3, delay: TimeSpan.FromMinutes(5)));
        var reserved = (await orders.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        Assert.Equal("a", reserved.Id);
        var failed = (await orders.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        await orders.MoveAsync(failed.Id, failed.LeaseToken, orders.ErrorQueueName, "boom");

        var queues = await Admin.GetQueuesAsync();

        Assert.Equal(["billing", "orders"], queues.Select(q => q.Name));
        var summary = queues[1];
        Assert.Equal(3, summary.Ready);
        Assert.Equal(2, summary.ReadyByUrgency[Urgency.Normal]);
        Assert.Equal(1, summary.ReadyByUrgency[Urgency.Lowest]);
        Assert.Equal(0, summary.ReadyByUrgency[Urgency.Critical]);
        Assert.Equal(11, summary.ReadyByUrgency.Count);
        Assert.Equal((0L, 2L, 1L), (summary.ReadyByBand[UrgencyBand.High], summary.ReadyByBand[UrgencyBand.Normal], summary.ReadyByBand[UrgencyBand.Low]));
        Assert.Null(summary.OldestReadyAgeByBand[UrgencyBand.High]);
        Assert.NotNull(summary.OldestReadyAgeByBand[UrgencyBand.Normal]);
        Assert.Equal((1L, 1L, 1L, 0L), (summary.InFlight, summary.Delayed, summary.Error, summary.Skipped));
        Assert.False(summary.IsPaused);
        Assert.Null(summary.RateLimit);
        Assert.True(summary.MemoryBytes > 0);
        Assert.Equal(0, queues[0].Ready);
    }
}

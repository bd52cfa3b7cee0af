using RedisPriorityTransport.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Redis;

/// <summary>
/// An id is a duplicate while its message is waiting, delayed or in flight, and, with a duplicate detection window,
/// for that long after the message was settled.
/// </summary>
public class DuplicateDetectionTests(ITestOutputHelper output) : QueueTestBase
{
    [RedisFact]
    public async Task Without_a_window_a_settled_id_can_be_enqueued_again()
    {
        var queue = Queue();
        Assert.True((await queue.EnqueueAsync(Message("once"))).Added);
        Assert.True((await queue.EnqueueAsync(Message("once"))).IsDuplicate);
        var reserved = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        Assert.True((await queue.EnqueueAsync(Message("once"))).IsDuplicate);
        await queue.AcknowledgeAsync(reserved.Id, reserved.LeaseToken);

        Assert.True((await queue.EnqueueAsync(Message("once"))).Added);
        Assert.Equal(0, await Database.KeyExistsAsync(SettledKey) ? 1 : 0);
    }

    [RedisFact]
    public async Task Within_the_window_an_id_settled_any_way_is_a_duplicate()
    {
        var queue = Queue(configure: s =>
        {
            s.DuplicateDetectionWindow = TimeSpan.FromMinutes(5);
            s.MaxDeliveryCount = 1;
        });
        await queue.EnqueueBatchAsync([Message("acked"), Message("moved"), Message("cancelled", delay: TimeSpan.FromMinutes(1)), Message("batch-acked")]);
        var reserved = (await queue.ReserveAsync(3, TimeSpan.FromMinutes(1))).Messages.ToDictionary(m => m.Id);
        Assert.True(await queue.AcknowledgeAsync("acked", reserved["acked"].LeaseToken));
        Assert.NotNull(await queue.MoveAsync("moved", reserved["moved"].LeaseToken, queue.ErrorQueueName, "test"));
        Assert.True(await queue.CancelAsync("cancelled"));
        var settledInReserve = await queue.AcknowledgeAndReserveByTokenAsync([("batch-acked", reserved["batch-acked"].LeaseToken)], 0, TimeSpan.FromMinutes(1));
        Assert.Equal([true], settledInReserve.Acknowledged);
        // Dead-lettered by an expired lease past the maximum delivery count.
        await queue.EnqueueAsync(Message("expired"));
        var leased = (await queue.ReserveAsync(1, TimeSpan.FromMilliseconds(50))).Messages.Single();
        await Eventually.HoldsAsync(async () => (await queue.ReclaimExpiredAsync()).DeadLettered == 1, TimeSpan.FromSeconds(10), "the lease to expire");

        foreach (var id in new[] { "acked", "moved", "cancelled", "batch-acked", leased.Id })
            Assert.True((await queue.EnqueueAsync(Message(id))).IsDuplicate, $"'{id}' was enqueued again within the window.");
        Assert.Equal(0, (await queue.GetCountsAsync()).Ready);
        Assert.Equal(5, await Database.SortedSetLengthAsync(SettledKey));
    }

    [RedisFact]
    public async Task After_the_window_the_id_is_accepted_and_forgotten()
    {
        var queue = Queue(configure: s => s.DuplicateDetectionWindow = TimeSpan.FromSeconds(2));
        await queue.EnqueueAsync(Message("short"));
        var reserved = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        await queue.AcknowledgeAsync(reserved.Id, reserved.LeaseToken);
        Assert.True((await queue.EnqueueAsync(Message("short"))).IsDuplicate);

        // Each refused attempt changes nothing; the first accepted one is after the window.
        await Eventually.HoldsAsync(async () => (await queue.EnqueueAsync(Message("short"))).Added, TimeSpan.FromSeconds(10), "the window to pass");

        // A remembered id past its window is dropped by the next reserve (which runs wherever messages are settled).
        Assert.Equal(1, await Database.SortedSetLengthAsync(SettledKey));
        await queue.ReserveAsync(1, TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Database.SortedSetLengthAsync(SettledKey));
    }

    [RedisFact]
    public void A_window_must_be_positive()
    {
        var settings = new PriorityQueueSettings();
        Assert.Throws<ArgumentOutOfRangeException>(() => settings.DuplicateDetectionWindow = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => settings.DuplicateDetectionWindow = TimeSpan.FromSeconds(-1));
        settings.DuplicateDetectionWindow = null;
        Assert.Null(settings.DuplicateDetectionWindow);
    }

    [RedisFact]
    public async Task A_remembered_id_costs_under_two_hundred_bytes()
    {
        const int count = 10_000;
        var queue = Queue(configure: s => s.DuplicateDetectionWindow = TimeSpan.FromHours(1));
        // MassTransit message ids: Guids in their 36-character form.
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var chunk in ids.Chunk(1000))
            await queue.EnqueueBatchAsync(chunk.Select(id => Message(id, body: "x")).ToList());
        var acknowledgements = new List<(string, long)>();
        while (true)
        {
            var result = await queue.AcknowledgeAndReserveByTokenAsync(acknowledgements, 1000, TimeSpan.FromMinutes(1));
            acknowledgements = result.Reserved.Messages.Select(m => (m.Id, m.LeaseToken)).ToList();
            if (acknowledgements.Count == 0)
                break;
        }

        Assert.Equal(count, await Database.SortedSetLengthAsync(SettledKey));
        var bytes = (long)(await Database.ExecuteAsync("MEMORY", "USAGE", SettledKey, "SAMPLES", "0"));
        var perId = bytes / (double)count;
        output.WriteLine($"{count} remembered ids of 36 characters: MEMORY USAGE {bytes} bytes, {perId:0} bytes per id");
        Assert.InRange(perId, 36, 200);
    }

    string SettledKey => KeyPrefix + "{orders}:orders:settled";
}

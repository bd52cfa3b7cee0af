using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Operations;

/// <summary>
/// A message moved to the error or skipped queue keeps the number of deliveries it was moved after; a redrive starts
/// it again.
/// </summary>
public class DeliveryCountTests : AdminTestBase
{
    [RedisFact]
    public async Task A_message_moved_during_its_third_delivery_shows_three_in_the_error_queue()
    {
        var queue = Queue();
        await FillAsync(queue, ("p", 8), ("s", 5));
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var held = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
            await queue.ReleaseAsync(held.Id, held.LeaseToken);
        }

        var reserved = (await queue.ReserveAsync(2, TimeSpan.FromMinutes(1))).Messages;
        Assert.Equal([("p", 3), ("s", 1)], reserved.Select(m => (m.Id, m.DeliveryCount)));
        await queue.MoveAsync("p", reserved[0].LeaseToken, queue.ErrorQueueName, "handler threw");
        await queue.MoveAsync("s", reserved[1].LeaseToken, queue.SkippedQueueName, "no consumer");

        var error = (await Admin.BrowseAsync("orders", MessageState.Error)).Messages.Single();
        Assert.Equal(("p", 3), (error.MessageId, error.DeliveryCount));
        Assert.Equal(3, (await Admin.GetMessageAsync("orders", "p")).DeliveryCount);
        Assert.Equal(1, (await Admin.BrowseAsync("orders", MessageState.Skipped)).Messages.Single().DeliveryCount);
        Assert.Equal(1, (await Admin.GetMessageAsync("orders", "s")).DeliveryCount);
        Assert.Equal(0, await Database.HashLengthAsync(KeyPrefix + "{orders}:orders:deliveries"));
    }

    [RedisFact]
    public async Task A_message_whose_leases_expired_up_to_the_maximum_shows_the_maximum_in_the_error_queue()
    {
        var queue = Queue(configure: s => s.MaxDeliveryCount = 2);
        await FillAsync(queue, ("x", 5));
        var held = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        await queue.ReleaseAsync(held.Id, held.LeaseToken);
        await queue.ReserveAsync(1, TimeSpan.FromMilliseconds(1));

        await Eventually.HoldsAsync(async () => (await queue.ReclaimExpiredAsync()).DeadLettered == 1, TimeSpan.FromSeconds(30),
            "the second expired lease sends the message to the error queue");

        var error = await Admin.GetMessageAsync("orders", "x");
        Assert.Equal((MessageState.Error, 2), (error.State, error.DeliveryCount));
    }

    [RedisFact]
    public async Task A_redriven_message_starts_a_fresh_delivery_sequence_and_the_audit_keeps_the_old_count()
    {
        var queue = Queue();
        await FillAsync(queue, ("r", 5));
        var first = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        await queue.ReleaseAsync(first.Id, first.LeaseToken);
        var second = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        await queue.MoveAsync("r", second.LeaseToken, queue.ErrorQueueName, "handler threw");

        await Admin.RedriveAsync("orders", DeadLetterQueue.Error, ["r"], Operator);

        var ready = await Admin.GetMessageAsync("orders", "r");
        Assert.Equal((MessageState.Ready, 0), (ready.State, ready.DeliveryCount));
        Assert.DoesNotContain("rpt-delivery-count", ready.Headers.Keys);
        var entry = (await Admin.GetMessageHistoryAsync("orders", "r")).Single(e => e.Action == AuditAction.Redrive);
        Assert.Equal("2", entry.Details["deliveries"]);
        var again = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        Assert.Equal(1, again.DeliveryCount);
        Assert.DoesNotContain("rpt-delivery-count", again.Headers.Keys);

        // Failing again in the fresh sequence, it shows the deliveries of that sequence only.
        await queue.MoveAsync("r", again.LeaseToken, queue.ErrorQueueName, "handler threw again");
        Assert.Equal(1, (await Admin.GetMessageAsync("orders", "r")).DeliveryCount);
    }

    [RedisFact]
    public async Task An_error_queue_consumed_as_a_queue_counts_its_own_deliveries()
    {
        var queue = Queue();
        await FillAsync(queue, ("e", 5));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var held = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
            if (attempt < 2)
                await queue.ReleaseAsync(held.Id, held.LeaseToken);
            else
                await queue.MoveAsync("e", held.LeaseToken, queue.ErrorQueueName, "handler threw");
        }

        // The carried count is history, not the error queue's own count: its first delivery there is its first.
        var errorQueue = Queue(queue.ErrorQueueName);
        var fromError = (await errorQueue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        Assert.Equal(1, fromError.DeliveryCount);
        await errorQueue.MoveAsync("e", fromError.LeaseToken, errorQueue.ErrorQueueName, "failed in the error queue too");
        var errorOfError = Queue(errorQueue.ErrorQueueName);
        var twice = (await errorOfError.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        Assert.Equal("1", twice.Headers["rpt-delivery-count"]);
    }
}

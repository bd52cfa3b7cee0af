using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisPriorityTransport.Tests.Redis;

/// <summary>
/// Strict order when many delayed messages fall due, or many leases expire, at the same moment: a reserve must never
/// hand out a message while a more important one that is already due still waits in the delayed or in-flight set.
/// </summary>
public class DueBacklogTests : QueueTestBase
{
    const int Count = 1000;

    [RedisFact]
    public async Task A_thousand_delayed_messages_falling_due_together_come_out_in_strict_order()
    {
        var queue = Queue();
        // The low ones are due first (same due time, ids sorted first), so a reserve that promotes only part of the due
        // messages sees low ones only while the high ones still wait in the delayed set.
        var lows = Enumerable.Range(0, Count / 2).Select(i => Message($"a-low-{i:D4}", 1, delay: TimeSpan.FromMilliseconds(300)));
        var highs = Enumerable.Range(0, Count / 2).Select(i => Message($"b-high-{i:D4}", 9, delay: TimeSpan.FromMilliseconds(300)));
        await queue.EnqueueBatchAsync(lows.Concat(highs).ToList());
        await WaitUntilServerTimePassesAsync(KeyPrefix + "{orders}:orders:delayed");

        var order = await DrainOneByOneAsync(queue);

        Assert.Equal(Count, order.Count);
        var firstLow = order.FindIndex(id => id.StartsWith("a-low", StringComparison.Ordinal));
        Assert.Equal(Count / 2, firstLow);
        // Within a class, the due (enqueue) order holds.
        Assert.Equal(order.Take(Count / 2).Order(StringComparer.Ordinal), order.Take(Count / 2));
        Assert.Equal(order.Skip(Count / 2).Order(StringComparer.Ordinal), order.Skip(Count / 2));
    }

    [RedisFact]
    public async Task A_thousand_leases_expiring_together_return_in_strict_order()
    {
        var queue = Queue();
        await queue.EnqueueBatchAsync(Enumerable.Range(0, Count / 2).Select(i => Message($"a-low-{i:D4}", 1))
            .Concat(Enumerable.Range(0, Count / 2).Select(i => Message($"b-high-{i:D4}", 9))).ToList());
        // One reserve leases all of them with one expiry; equal scores sort by id, so the low ones expire "first".
        var leased = await queue.ReserveAsync(Count, TimeSpan.FromMilliseconds(300));
        Assert.Equal(Count, leased.Messages.Count);
        await WaitUntilServerTimePassesAsync(KeyPrefix + "{orders}:orders:inflight");

        var order = await DrainOneByOneAsync(queue);

        Assert.Equal(Count, order.Count);
        Assert.Equal(Count / 2, order.FindIndex(id => id.StartsWith("a-low", StringComparison.Ordinal)));
    }

    async Task<List<string>> DrainOneByOneAsync(RedisPriorityQueue queue)
    {
        var order = new List<string>();
        var emptyInARow = 0;
        while (emptyInARow < 3)
        {
            var reserved = await queue.ReserveAsync(1, TimeSpan.FromMinutes(1));
            if (reserved.Messages.Count == 0)
            {
                // A reserve that is still promoting a due backlog may hand out nothing; the backlog says "due now".
                emptyInARow = reserved.NextDelayedDueIn == TimeSpan.Zero ? 0 : emptyInARow + 1;
                continue;
            }

            emptyInARow = 0;
            var message = reserved.Messages[0];
            order.Add(message.Id);
            await queue.AcknowledgeAsync(message.Id, message.LeaseToken);
        }

        return order;
    }

    /// <summary>Waits until Redis's clock is past the latest score of a sorted set (due times, lease expiries).</summary>
    async Task WaitUntilServerTimePassesAsync(string key)
    {
        var last = await Database.SortedSetRangeByRankWithScoresAsync(key, -1, -1);
        Assert.Single(last);
        await Eventually.HoldsAsync(async () =>
        {
            var time = (RedisResult[])(await Database.ExecuteAsync("TIME"))!;
            var nowMs = (long)time[0] * 1000 + (long)time[1] / 1000;
            return nowMs > last[0].Score + 5;
        }, TimeSpan.FromSeconds(10), $"Redis's clock to pass the last score of {key}");
    }
}

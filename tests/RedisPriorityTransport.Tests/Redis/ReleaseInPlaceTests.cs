using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisPriorityTransport.Tests.Redis;

/// <summary>A release with a delay and replaced headers: the same record comes back, at its original place.</summary>
public class ReleaseInPlaceTests : QueueTestBase
{
    [RedisFact]
    public async Task A_delayed_release_with_new_headers_keeps_the_id_and_comes_back_ahead_of_newer_messages_of_its_class()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("old", 3, headers: new Dictionary<string, string> { ["keep"] = "yes", ["count"] = "0" }));
        var old = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        await queue.EnqueueBatchAsync([Message("new-1", 3), Message("new-2", 3)]);

        Assert.True(await queue.ReleaseAsync(old.Id, old.LeaseToken, TimeSpan.FromMilliseconds(200), countDelivery: false,
            headers: new Dictionary<string, string> { ["count"] = "1" }));
        Assert.Equal(3, await Database.HashLengthAsync(KeyPrefix + "{orders}:orders:messages"));
        var due = (await Database.SortedSetRangeByRankWithScoresAsync(KeyPrefix + "{orders}:orders:delayed", 0, 0)).Single();
        await Eventually.HoldsAsync(async () =>
        {
            var time = (RedisResult[])(await Database.ExecuteAsync("TIME"))!;
            return (long)time[0] * 1000 + (long)time[1] / 1000 > due.Score + 5;
        }, TimeSpan.FromSeconds(10), "the release to fall due");

        var drained = await DrainAsync(queue, batch: 1);

        Assert.Equal(["old", "new-1", "new-2"], drained.Select(m => m.Id));
        var again = drained[0];
        Assert.Equal(old.Sequence, again.Sequence);
        Assert.Equal("1", again.Headers["count"]);
        Assert.Equal("yes", again.Headers["keep"]);
        Assert.Equal(1, again.DeliveryCount);
        Assert.Equal(old.Body, again.Body);
    }
}

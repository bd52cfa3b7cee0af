using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Redis;

/// <summary>
/// Concurrent single enqueues to one queue share script calls (issue 13), each sender still getting its own outcome,
/// and a lone enqueue is one call sent at once. Runs on a server of its own so its script counters are exact.
/// </summary>
public sealed class EnqueueCoalescingTests : DedicatedRedisTestBase
{
    const int Senders = 256;

    [RedisFact]
    public async Task Concurrent_enqueues_to_one_queue_share_script_calls_and_each_sender_gets_its_own_outcome()
    {
        var (queue, _) = await OpenQueueAsync("coalescing", "orders");
        // Warm: the scripts are loaded and the connection is up before anything is counted.
        await queue.EnqueueAsync(new QueueMessage("warm", "w"u8.ToArray()));
        var callsBefore = await ScriptCallsAsync();

        // Every tenth id repeats an earlier one: a duplicate inside a shared call is still reported to its own sender.
        var sends = Enumerable.Range(0, Senders)
            .Select(i => queue.EnqueueAsync(new QueueMessage(i % 10 == 9 ? $"m{i - 1}" : $"m{i}", System.Text.Encoding.UTF8.GetBytes($"body {i}"),
                new MessagePriority((Urgency)(i % 11)))))
            .ToArray();
        var results = await Task.WhenAll(sends);

        var calls = await ScriptCallsAsync() - callsBefore;
        Assert.True(calls <= Senders / 2, $"{Senders} concurrent enqueues took {calls} script calls; they should share calls.");
        for (var i = 0; i < Senders; i++)
            Assert.Equal(i % 10 != 9, results[i].Added);
        var reserved = await queue.ReserveAsync(Senders + 1, TimeSpan.FromMinutes(1));
        Assert.Equal(Senders - Senders / 10 + 1, reserved.Messages.Count);
        // Strict priority across the shared calls: urgency never rises along the delivery order.
        var urgencies = reserved.Messages.Select(m => (int)m.Priority.Urgency).ToArray();
        Assert.Equal(urgencies.OrderByDescending(u => u), urgencies);
        var m10 = reserved.Messages.Single(m => m.Id == "m10");
        Assert.Equal("body 10", System.Text.Encoding.UTF8.GetString(m10.Body));
    }

    [RedisFact]
    public async Task A_lone_enqueue_is_one_script_call_and_enqueues_without_awaiting_keep_their_order()
    {
        var (queue, _) = await OpenQueueAsync("coalescing", "orders");
        await queue.EnqueueAsync(new QueueMessage("warm", "w"u8.ToArray()));
        var callsBefore = await ScriptCallsAsync();
        Assert.True((await queue.EnqueueAsync(new QueueMessage("alone", "a"u8.ToArray()))).Added);
        Assert.Equal(1, await ScriptCallsAsync() - callsBefore);

        // One sender that does not await: the messages keep their order (one urgency, so FIFO decides).
        var sends = Enumerable.Range(0, 300).Select(i => queue.EnqueueAsync(new QueueMessage($"f{i}", "x"u8.ToArray()))).ToArray();
        await Task.WhenAll(sends);
        var reserved = await queue.ReserveAsync(400, TimeSpan.FromMinutes(1));
        Assert.Equal(["warm", "alone", .. Enumerable.Range(0, 300).Select(i => $"f{i}")], reserved.Messages.Select(m => m.Id));
    }

    [RedisFact]
    public async Task Senders_that_send_again_when_their_send_completes_share_calls_and_none_is_left_waiting()
    {
        // A sender resumed by its batch's reply enqueues its next message on the thread that took the reply, which sends
        // those messages once every sender of the batch has gone on: if it did not, a send would never complete.
        var (queue, _) = await OpenQueueAsync("coalescing", "orders");
        await queue.EnqueueAsync(new QueueMessage("warm", "w"u8.ToArray()));
        var callsBefore = await ScriptCallsAsync();
        const int producers = 4, each = 250;
        var producing = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
                Assert.True((await queue.EnqueueAsync(new QueueMessage($"p{p}-{i}", "x"u8.ToArray()))).Added);
        }));
        await Task.WhenAll(producing).WaitAsync(TimeSpan.FromSeconds(60));

        var calls = await ScriptCallsAsync() - callsBefore;
        Assert.True(calls < producers * each, $"{producers * each} sends took {calls} script calls; awaiting senders should still share some.");
        var reserved = await queue.ReserveAsync(producers * each + 1, TimeSpan.FromMinutes(1));
        Assert.Equal(producers * each + 1, reserved.Messages.Count);
        // One urgency, so FIFO decides: each producer's messages arrive in the order it sent them.
        for (var p = 0; p < producers; p++)
        {
            var prefix = $"p{p}-";
            Assert.Equal(Enumerable.Range(0, each).Select(i => prefix + i), reserved.Messages.Select(m => m.Id).Where(id => id.StartsWith(prefix, StringComparison.Ordinal)));
        }
    }

    [RedisFact]
    public async Task A_sender_that_blocks_on_its_next_send_where_its_last_one_resumed_it_is_not_stuck()
    {
        // Sync over async, as older code does: resumed by its send's reply (on the thread that completes the batch), the
        // sender waits for its next send without awaiting. That send must go out from another thread. Two senders, and
        // time for the thread pool to add threads: the test blocks pool threads, which other test classes share.
        var (queue, _) = await OpenQueueAsync("coalescing", "orders");
        await queue.EnqueueAsync(new QueueMessage("warm", "w"u8.ToArray()));
        var blockedSends = Enumerable.Range(0, 2).Select(i => queue.EnqueueAsync(new QueueMessage($"first{i}", "x"u8.ToArray()))
            .ContinueWith(_ => queue.EnqueueAsync(new QueueMessage($"second{i}", "x"u8.ToArray())).GetAwaiter().GetResult().Added,
                TaskContinuationOptions.ExecuteSynchronously))
            .ToArray();
        var added = await Task.WhenAll(blockedSends).WaitAsync(TimeSpan.FromSeconds(90));
        Assert.All(added, Assert.True);
        Assert.Equal(5, (await queue.GetCountsAsync()).Ready);
    }

    [RedisFact]
    public async Task A_bad_message_fails_only_its_own_sender()
    {
        var (queue, _) = await OpenQueueAsync("coalescing", "orders");
        var good = Enumerable.Range(0, 50).Select(i => queue.EnqueueAsync(new QueueMessage($"g{i}", "x"u8.ToArray()))).ToArray();
        var bad = Assert.Throws<ArgumentException>(() => queue.EnqueueAsync(new QueueMessage("has space", "x"u8.ToArray())).GetAwaiter().GetResult());
        Assert.Contains("has space", bad.Message, StringComparison.Ordinal);
        Assert.All(await Task.WhenAll(good), result => Assert.True(result.Added));
    }

    async Task<long> ScriptCallsAsync()
    {
        var info = await Server.CommandAsync("INFO", "commandstats");
        long Calls(string command)
        {
            var line = info.Split('\n').FirstOrDefault(l => l.StartsWith($"cmdstat_{command}:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(':')[1].Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }

        return Calls("evalsha") + Calls("eval");
    }
}

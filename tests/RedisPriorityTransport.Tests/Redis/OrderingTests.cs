using RedisPriorityTransport.Tests.Infrastructure;
using System.Text;

namespace RedisPriorityTransport.Tests.Redis;

public class OrderingTests : QueueTestBase
{
    /// <summary>Runs against the shared standalone test server.</summary>
    public OrderingTests()
    {
    }

    /// <summary>Runs against the server <paramref name="serverSource"/> provides (see <see cref="Reliability.ClusterEngineTests"/>).</summary>
    protected OrderingTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    [RedisFact]
    public async Task The_classic_four_events_come_out_by_urgency_then_type()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("evt1", 3, "transaction"));
        await queue.EnqueueAsync(Message("evt2", 3, "alert"));
        await queue.EnqueueAsync(Message("evt3", 5, "log"));
        await queue.EnqueueAsync(Message("evt4", 5, "transaction"));

        var order = (await DrainAsync(queue, batch: 1)).Select(m => m.Id);

        Assert.Equal(["evt4", "evt3", "evt2", "evt1"], order);
    }

    [RedisFact]
    public async Task Ten_thousand_random_messages_from_four_producers_come_out_in_reference_order()
    {
        var queue = Queue();
        string?[] types = ["alert", "transaction", "log", "audit", null];
        const int producers = 4, perProducer = 2500;

        // Each producer enqueues its share in small batches and single calls, concurrently with the others.
        var sent = new (string Id, int Urgency, string? Type, int Producer, int Index)[producers * perProducer];
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            var random = new Random(1000 + p);
            var mine = Enumerable.Range(0, perProducer).Select(i =>
            {
                var item = ($"p{p}-{i}", random.Next(0, 11), types[random.Next(types.Length)], p, i);
                sent[p * perProducer + i] = item;
                return item;
            }).ToList();
            for (var i = 0; i < mine.Count;)
            {
                var size = random.Next(1, 40);
                var chunk = mine.Skip(i).Take(size).Select(m => Message(m.Item1, m.Item2, m.Item3)).ToList();
                if (chunk.Count == 1)
                    await queue.EnqueueAsync(chunk[0]);
                else
                    await queue.EnqueueBatchAsync(chunk);
                i += chunk.Count;
            }
        })));

        var received = await DrainAsync(queue, batch: 64);

        Assert.Equal(sent.Length, received.Count);
        Assert.Equal(sent.Length, received.Select(m => m.Sequence).Distinct().Count());
        // Enqueue order comes from Redis: each producer's messages got increasing sequence numbers.
        var sequenceOf = received.ToDictionary(m => m.Id, m => m.Sequence);
        foreach (var producer in sent.GroupBy(s => s.Producer))
        {
            var sequences = producer.OrderBy(s => s.Index).Select(s => sequenceOf[s.Id]).ToList();
            Assert.Equal(sequences.Order(), sequences);
        }

        var byId = sent.ToDictionary(s => s.Id);
        var reference = sent
            .OrderByDescending(s => s.Urgency)
            .ThenBy(s => ClassicRanking.RankOf(s.Type))
            .ThenBy(s => sequenceOf[s.Id])
            .Select(s => s.Id)
            .ToList();
        Assert.Equal(reference, received.Select(m => m.Id).ToList());
        Assert.All(received, m => Assert.Equal(byId[m.Id].Urgency, (int)m.Priority.Urgency));
    }

    [RedisFact]
    public async Task Unknown_or_missing_event_types_go_last_within_their_urgency_only()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("unknown-7", 7, "audit"));
        await queue.EnqueueAsync(Message("none-7", 7));
        await queue.EnqueueAsync(Message("log-7", 7, "log"));
        await queue.EnqueueAsync(Message("alert-6", 6, "alert"));
        await queue.EnqueueAsync(Message("alert-7", 7, "alert"));

        var order = (await DrainAsync(queue)).Select(m => m.Id);

        Assert.Equal(["alert-7", "log-7", "unknown-7", "none-7", "alert-6"], order);
    }

    [RedisFact]
    public async Task Stored_scores_match_the_documented_encoding()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("a", 9, "transaction"));
        var reserved = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        await queue.ReleaseAsync("a", reserved.LeaseToken);

        var score = await Database.SortedSetScoreAsync(KeyPrefix + "{orders}:orders:ready", "a");

        Assert.Equal(PriorityScore.Encode(Urgency.Urgent, 1, reserved.Sequence), (long)score!.Value);
    }

    [RedisFact]
    public async Task Order_stays_exact_past_two_to_the_forty_messages()
    {
        var queue = Queue();
        // Start the queue's sequence just below 2^40 + 3, as if a trillion messages had passed through it.
        await Database.StringSetAsync(KeyPrefix + "{orders}:orders:seq", (1L << 40) - 3);
        for (var i = 0; i < 6; i++)
            await queue.EnqueueAsync(Message($"m{i}", 4, "log"));
        await queue.EnqueueAsync(Message("urgent", 5, "log"));

        var received = await DrainAsync(queue);

        Assert.Equal(["urgent", "m0", "m1", "m2", "m3", "m4", "m5"], received.Select(m => m.Id));
        Assert.Equal((1L << 40) - 2, received[1].Sequence);
        Assert.Equal((1L << 40) + 3, received[6].Sequence);
    }

    [RedisFact]
    public async Task An_exhausted_sequence_is_refused_not_wrapped()
    {
        var queue = Queue();
        await Database.StringSetAsync(KeyPrefix + "{orders}:orders:seq", PriorityScore.MaxSequence);

        var exception = await Assert.ThrowsAnyAsync<StackExchange.Redis.RedisServerException>(() => queue.EnqueueAsync(Message("late")));

        Assert.Contains("sequence exhausted", exception.Message);
    }

    [RedisFact]
    public async Task Bodies_and_headers_round_trip_exactly()
    {
        var queue = Queue();
        var body = new byte[4096];
        new Random(7).NextBytes(body);
        body[0] = 0;
        body[^1] = 0xFF;
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "application/vnd.masstransit+json",
            ["with:colon"] = "12:34:value",
            ["unicode-ü"] = "ümlaut ✓ 日本",
            ["empty"] = "",
        };
        await queue.EnqueueAsync(new QueueMessage("binary", body, new MessagePriority(Urgency.High, "alert"), headers));
        await queue.EnqueueAsync(new QueueMessage("empty", ReadOnlyMemory<byte>.Empty));

        var received = await DrainAsync(queue);

        Assert.Equal(body, received[0].Body);
        Assert.Equal(headers, received[0].Headers);
        Assert.Equal(new MessagePriority(Urgency.High, "alert"), received[0].Priority);
        Assert.Empty(received[1].Body);
        Assert.Empty(received[1].Headers);
        Assert.Null(received[1].Priority.EventType);
    }

    [RedisFact]
    public async Task Duplicate_ids_are_refused_while_waiting_delayed_or_in_flight()
    {
        var queue = Queue();
        Assert.True((await queue.EnqueueAsync(Message("busy", urgency: 9))).Added);
        Assert.True((await queue.EnqueueAsync(Message("ready"))).Added);
        Assert.True((await queue.EnqueueAsync(Message("later", delay: TimeSpan.FromMinutes(5)))).Added);
        var busy = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        Assert.Equal("busy", busy.Id);

        var again = await queue.EnqueueBatchAsync([Message("ready", body: "second"), Message("later"), Message("busy"), Message("new"), Message("new")]);

        Assert.Equal([false, false, false, true, false], again.Select(r => r.Added));
        Assert.True(again[0].IsDuplicate);
        // Once settled, an id may be used again.
        await queue.AcknowledgeAsync("busy", busy.LeaseToken);
        Assert.True((await queue.EnqueueAsync(Message("busy"))).Added);
    }

    [RedisFact]
    public async Task All_keys_of_a_queue_and_its_error_and_skipped_queues_share_one_cluster_slot()
    {
        var queue = Queue("payments");
        await queue.EnqueueAsync(Message("a"));
        await queue.EnqueueAsync(Message("b", delay: TimeSpan.FromMinutes(1)));
        var reserved = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        await queue.MoveAsync(reserved.Id, reserved.LeaseToken, queue.ErrorQueueName, "test");
        await queue.EnqueueAsync(Message("c"));
        reserved = (await queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        await queue.MoveAsync(reserved.Id, reserved.LeaseToken, queue.SkippedQueueName, "test");
        await queue.EnqueueAsync(Message("d"));
        await queue.ReserveAsync(1, TimeSpan.FromMinutes(1));

        var keys = QueueKeysOfThisTest().ToList();

        Assert.True(keys.Count >= 8, $"expected the queue's keys, found {string.Join(", ", keys)}");
        Assert.Single(keys.Select(k => Server.Connection.HashSlot(k)).Distinct());
        Assert.All(keys, k => Assert.StartsWith(KeyPrefix + "{payments}:", (string)k!));
    }
}

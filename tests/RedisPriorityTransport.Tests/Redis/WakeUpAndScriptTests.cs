using RedisPriorityTransport.Redis;
using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;
using System.Diagnostics;

namespace RedisPriorityTransport.Tests.Redis;

public class WakeUpAndScriptTests : QueueTestBase
{
    /// <summary>Runs against the shared standalone test server.</summary>
    public WakeUpAndScriptTests()
    {
    }

    /// <summary>Runs against the server <paramref name="serverSource"/> provides (see <see cref="Reliability.ClusterEngineTests"/>).</summary>
    protected WakeUpAndScriptTests(Func<Task<RedisServerHandle>> serverSource)
        : base(serverSource)
    {
    }

    [RedisFact]
    public async Task A_waiting_reserve_is_woken_by_an_enqueue_not_by_polling()
    {
        // With the fallback poll far beyond the wait, only the notification can deliver the message in time.
        var queue = Queue(configure: s => s.FallbackPollInterval = TimeSpan.FromMinutes(5));
        var producer = Queue(configure: s => s.FallbackPollInterval = TimeSpan.FromMinutes(5));
        await queue.EnsureSubscribedAsync();

        var waiting = queue.ReserveOrWaitAsync(1, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));
        await producer.EnqueueAsync(Message("ping"));
        var result = await waiting;

        Assert.Equal("ping", Assert.Single(result.Messages).Id);
    }

    [RedisFact]
    public async Task A_consumer_offer_in_the_process_gets_a_send_in_the_sends_own_round_trip_without_a_wake_up()
    {
        var consumer = Queue(configure: s => s.FallbackPollInterval = TimeSpan.FromMinutes(5));
        var producer = Queue(configure: s => s.FallbackPollInterval = TimeSpan.FromMinutes(5));
        await using var wakeUps = await WakeUpListener.StartAsync(Server.Connection, new QueueKeys(KeyPrefix, "orders").WakeChannel);

        var offer = Assert.IsType<ReserveOffer>(consumer.OfferToReserve(5, TimeSpan.FromMinutes(1)));
        Assert.Null(producer.OfferToReserve(5, TimeSpan.FromMinutes(1)));
        Assert.True((await producer.EnqueueAsync(Message("ping"))).Added);
        var result = (await offer.Result.WaitAsync(TimeSpan.FromSeconds(10))).Reserved;
        Assert.False(consumer.TryWithdraw(offer));

        var message = Assert.Single(result.Messages);
        Assert.Equal("ping", message.Id);
        Assert.Equal(1, message.DeliveryCount);
        Assert.False(consumer.HasStandingOffer);
        // The send's own call reserved it: nobody was woken, and nothing is left waiting.
        Assert.Equal(0, await wakeUps.CountUntilMarkerAsync());
        Assert.True(await consumer.AcknowledgeAsync(message.Id, message.LeaseToken));
        var counts = await consumer.GetCountsAsync();
        Assert.Equal(0, counts.Ready + counts.InFlight);
    }

    [RedisFact]
    public async Task An_offer_takes_the_most_important_messages_up_to_its_size_and_the_rest_wake_other_consumers()
    {
        var consumer = Queue(configure: s => s.FallbackPollInterval = TimeSpan.FromMinutes(5));
        var producer = Queue(configure: s => s.FallbackPollInterval = TimeSpan.FromMinutes(5));
        await using var wakeUps = await WakeUpListener.StartAsync(Server.Connection, new QueueKeys(KeyPrefix, "orders").WakeChannel);

        var offer = Assert.IsType<ReserveOffer>(consumer.OfferToReserve(1, TimeSpan.FromMinutes(1)));
        await producer.EnqueueBatchAsync([Message("low", urgency: 2), Message("log", urgency: 9, eventType: "log"), Message("alert", urgency: 9, eventType: "alert")]);
        var result = (await offer.Result.WaitAsync(TimeSpan.FromSeconds(10))).Reserved;

        Assert.Equal("alert", Assert.Single(result.Messages).Id);
        Assert.Equal(1, await wakeUps.CountUntilMarkerAsync());
        Assert.Equal(["log", "low"], (await producer.ReserveAsync(5, TimeSpan.FromMinutes(1))).Messages.Select(m => m.Id));
    }

    /// <summary>Counts the wake-up notifications published on a queue's channel, up to a marker the test publishes after them.</summary>
    sealed class WakeUpListener : IAsyncDisposable
    {
        const string Marker = "test-marker";
        readonly ISubscriber _subscriber;
        readonly RedisChannel _channel;
        readonly ChannelMessageQueue _messages;

        WakeUpListener(ISubscriber subscriber, RedisChannel channel, ChannelMessageQueue messages)
        {
            _subscriber = subscriber;
            _channel = channel;
            _messages = messages;
        }

        public static async Task<WakeUpListener> StartAsync(IConnectionMultiplexer connection, string channelName)
        {
            var subscriber = connection.GetSubscriber();
            var channel = RedisChannel.Literal(channelName);
            return new WakeUpListener(subscriber, channel, await subscriber.SubscribeAsync(channel));
        }

        // The channel's messages all go through the node that owns its hash tag, so the marker comes after every
        // notification published before it.
        public async Task<int> CountUntilMarkerAsync()
        {
            await _subscriber.PublishAsync(_channel, Marker);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var count = 0;
            while ((await _messages.ReadAsync(timeout.Token)).Message != Marker)
                count++;
            return count;
        }

        public async ValueTask DisposeAsync() => await _messages.UnsubscribeAsync();
    }

    [RedisFact]
    public async Task A_wait_without_work_ends_at_its_limit_with_an_empty_result()
    {
        var queue = Queue(configure: s => s.FallbackPollInterval = TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();

        var result = await queue.ReserveOrWaitAsync(1, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(300));

        Assert.Empty(result.Messages);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"returned after {clock.Elapsed}");
    }

    [RedisFact]
    public async Task A_cancelled_wait_returns_empty_without_throwing()
    {
        var queue = Queue();
        using var cancel = new CancellationTokenSource();
        var waiting = queue.ReserveOrWaitAsync(1, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan, cancel.Token);

        cancel.Cancel();

        Assert.Empty((await waiting.WaitAsync(TimeSpan.FromSeconds(20))).Messages);
    }

    [RedisFact]
    public async Task Scripts_are_reloaded_after_the_server_forgets_them()
    {
        var queue = Queue();
        await queue.EnqueueAsync(Message("before"));
        foreach (var server in Server.Connection.GetServers())
            await server.ScriptFlushAsync();

        await queue.EnqueueAsync(Message("after"));

        Assert.Equal(["before", "after"], (await DrainAsync(queue)).Select(m => m.Id));
    }

    [RedisFact]
    public async Task Every_embedded_script_declares_its_keys_and_arguments()
    {
        var assembly = typeof(RedisPriorityQueue).Assembly;
        var scripts = assembly.GetManifestResourceNames().Where(n => n.EndsWith(".lua", StringComparison.Ordinal)).ToList();
        Assert.True(scripts.Count >= 11);
        foreach (var name in scripts.Where(n => !n.Contains("._")))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            var header = string.Join('\n', (await reader.ReadToEndAsync()).Split('\n').TakeWhile(l => l.StartsWith("--", StringComparison.Ordinal)));
            Assert.Contains("\n--@keys ", "\n" + header);
            Assert.Contains("ARGV[1]", header);
            Assert.Contains("Returns", header);
        }
    }
}

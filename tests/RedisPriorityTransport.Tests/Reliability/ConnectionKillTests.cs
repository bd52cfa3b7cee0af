using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Reliability;

/// <summary>
/// <c>CLIENT KILL</c> of the library's connections (by type and by id) on a dedicated Redis during traffic: nothing is
/// lost, duplicates only where an acknowledgement was in doubt, and the wake-up subscription comes back.
/// </summary>
public sealed class ConnectionKillTests(ITestOutputHelper output) : DedicatedRedisTestBase
{
    const string ClientNamePrefix = "rpt-kill-";
    static readonly int Kills = FaultRounds.Scale(9);
    static readonly int WakeRounds = FaultRounds.Scale(3);
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [RedisFact]
    public async Task Traffic_survives_repeated_kills_of_the_library_connections()
    {
        var (producer, _) = await OpenQueueAsync(ClientNamePrefix + "producer", "traffic");
        var (consumer, _) = await OpenQueueAsync(ClientNamePrefix + "consumer", "traffic");
        await using var traffic = EngineTraffic.Start(producer, consumer, lease: TimeSpan.FromSeconds(2));
        await traffic.WaitForMoreDeliveriesAsync(200, Patience, "before the first kill");

        for (var kill = 0; kill < Kills; kill++)
        {
            var (how, killed) = (kill % 3) switch
            {
                0 => ("CLIENT KILL TYPE normal", await Server.CommandAsync("CLIENT", "KILL", "TYPE", "normal")),
                1 => ("CLIENT KILL TYPE pubsub", await Server.CommandAsync("CLIENT", "KILL", "TYPE", "pubsub")),
                _ => ("CLIENT KILL ID (each library connection)", (await KillLibraryConnectionsByIdAsync()).ToString()),
            };
            await traffic.WaitForMoreDeliveriesAsync(200, Patience, $"after {how}");
            output.WriteLine($"kill {kill + 1}: {how} closed {killed} connection(s); traffic flowed again");
        }

        await traffic.FinishAsync(Patience);

        output.WriteLine($"CLIENT KILL x{Kills}: {traffic.Ledger}");
        traffic.Ledger.AssertNothingLostAndDuplicatesExplained();
    }

    [RedisFact]
    public async Task A_waiting_reserve_still_wakes_after_its_subscription_is_killed()
    {
        // With a fallback poll of ten minutes, only the wake-up notification can end the wait in time.
        var (waiter, waiterConnection) = await OpenQueueAsync(ClientNamePrefix + "waiter", "wake",
            new PriorityQueueSettings { FallbackPollInterval = TimeSpan.FromMinutes(10) });
        var (producer, _) = await OpenQueueAsync(ClientNamePrefix + "waker", "wake");
        // Both of the waiter's connections are killed each round; once both are restored (each restore wakes waiters
        // by design), the only thing left that can complete the wake signal is the enqueue's notification.
        int restoredInteractive = 0, restoredSubscription = 0;
        waiterConnection.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription)
                Interlocked.Increment(ref restoredSubscription);
            else
                Interlocked.Increment(ref restoredInteractive);
        };
        await waiter.EnsureSubscribedAsync();

        for (var round = 1; round <= WakeRounds; round++)
        {
            var killed = await Server.CommandAsync("CLIENT", "KILL", "TYPE", "pubsub");
            await Server.CommandAsync("CLIENT", "KILL", "TYPE", "normal");
            await Eventually.HoldsAsync(async () =>
                    Volatile.Read(ref restoredSubscription) >= round && Volatile.Read(ref restoredInteractive) >= round && await SubscribersAsync() == 1,
                Patience, "both connections and the wake-up subscription to come back");

            var wake = waiter.WakeSignal;
            Assert.Empty((await waiter.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages);
            await producer.EnqueueAsync(new QueueMessage($"ping{round}", new byte[1]));
            await wake.WaitAsync(TimeSpan.FromSeconds(30));
            var message = Assert.Single((await waiter.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages);
            Assert.True(await waiter.AcknowledgeAsync(message.Id, message.LeaseToken));
            output.WriteLine($"round {round}: killed {killed} subscription connection(s); resubscribed; the enqueue of {message.Id} woke the waiter");
        }
    }

    async Task<long> SubscribersAsync()
    {
        var reply = await Server.CommandAsync("PUBSUB", "NUMSUB", PriorityQueueSettings.DefaultKeyPrefix + "{wake}:wake:wake");
        return long.Parse(reply.Split('\n')[1]);
    }

    async Task<int> KillLibraryConnectionsByIdAsync()
    {
        var clients = await Server.CommandAsync("CLIENT", "LIST");
        var ids = clients.Split('\n')
            .Select(line => line.Split(' ').Select(field => field.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]))
            .Where(fields => fields.GetValueOrDefault("name", "").StartsWith(ClientNamePrefix, StringComparison.Ordinal))
            .Select(fields => fields["id"])
            .ToList();
        foreach (var id in ids)
            await Server.CommandAsync("CLIENT", "KILL", "ID", id);
        return ids.Count;
    }
}

using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Operations;

/// <summary>
/// An operator acts on a message at the moment a consumer reserves it, on separate connections so the two scripts
/// really race: exactly one of them wins, and the message is neither lost nor duplicated.
/// </summary>
public sealed class RaceTests(ITestOutputHelper output) : AdminTestBase
{
    const int Rounds = 200;

    // The admin call checks that the queue exists first (one more round trip), so the reserve starts a moment later;
    // the moment follows the outcomes (later after the reserve won, sooner after the admin won), so the rounds
    // hover where the two scripts reach Redis together.
    TimeSpan _offset = TimeSpan.Zero;

    TimeSpan Offset(int round) => _offset;

    void Adjust(bool adminWon) =>
        _offset = adminWon ? TimeSpan.FromTicks(Math.Max(0, _offset.Ticks - 25 * TimeSpan.TicksPerMicrosecond)) : _offset + TimeSpan.FromMicroseconds(25);

    static async Task<T> AfterAsync<T>(TimeSpan offset, Func<Task<T>> action)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < offset)
            Thread.SpinWait(10);
        return await action();
    }

    [RedisFact]
    public async Task Cancel_racing_a_reserve_exactly_one_wins()
    {
        await using var consumerConnection = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        var consumer = new RedisPriorityQueue(consumerConnection, "orders", new PriorityQueueSettings { KeyPrefix = KeyPrefix });
        var queue = Queue();
        var admin = Admin;
        var (cancelled, delivered) = (0, 0);

        for (var round = 0; round < Rounds; round++)
        {
            var id = $"m{round}";
            await FillAsync(queue, (id, 5));
            var offset = Offset(round);
            var cancel = Task.Run(async () =>
            {
                try
                {
                    await admin.CancelAsync("orders", id, Operator, "race");
                    return true;
                }
                catch (MessageNotFoundException refused)
                {
                    Assert.Equal(MessageState.InFlight, refused.ActualState);
                    return false;
                }
            });
            var reserve = Task.Run(() => AfterAsync(offset, () => consumer.ReserveAsync(1, TimeSpan.FromMinutes(1))));
            var got = (await reserve).Messages;
            var won = await cancel;
            Adjust(won);

            Assert.True(won ^ (got.Count == 1), $"round {round}: cancel {(won ? "won" : "lost")}, reserve got {got.Count}");
            if (won)
            {
                cancelled++;
            }
            else
            {
                delivered++;
                Assert.True(await consumer.AcknowledgeAsync(id, got[0].LeaseToken));
            }
        }

        output.WriteLine($"{Rounds} races: cancel won {cancelled}, reserve won {delivered}");
        // Both outcomes happened: the two really raced.
        Assert.True(cancelled > 0 && delivered > 0);
        var counts = await queue.GetCountsAsync();
        Assert.Equal((0L, 0L), (counts.Ready, counts.InFlight));
        Assert.Equal(cancelled, (await Admin.GetHistoryAsync("orders", new AuditQuery { PageSize = 1000 })).Entries.Count);
        await consumer.DisposeAsync();
    }

    [RedisFact]
    public async Task A_priority_change_racing_a_reserve_is_applied_exactly_when_it_came_first()
    {
        await using var consumerConnection = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        var consumer = new RedisPriorityQueue(consumerConnection, "orders", new PriorityQueueSettings { KeyPrefix = KeyPrefix });
        var queue = Queue();
        var admin = Admin;
        var (changed, refused) = (0, 0);

        for (var round = 0; round < Rounds; round++)
        {
            var id = $"m{round}";
            await FillAsync(queue, (id, 2));
            var offset = Offset(round);
            var change = Task.Run(async () =>
            {
                try
                {
                    await admin.CriticalAsync("orders", id, Operator, "race");
                    return true;
                }
                catch (MessageNotFoundException error)
                {
                    Assert.Equal(MessageState.InFlight, error.ActualState);
                    return false;
                }
            });
            var reserve = Task.Run(() => AfterAsync(offset, () => consumer.ReserveAsync(1, TimeSpan.FromMinutes(1))));
            var message = Assert.Single((await reserve).Messages);
            var won = await change;
            Adjust(won);

            // Delivered exactly once either way; with the new urgency exactly when the change won.
            Assert.Equal(won ? Urgency.Critical : Urgency.Background, message.Priority.Urgency);
            if (won)
                changed++;
            else
                refused++;
            Assert.True(await consumer.AcknowledgeAsync(id, message.LeaseToken));
        }

        output.WriteLine($"{Rounds} races: change won {changed}, reserve won {refused}");
        Assert.True(changed > 0 && refused > 0);
        Assert.Equal((0L, 0L), ((await queue.GetCountsAsync()).Ready, (await queue.GetCountsAsync()).InFlight));
        Assert.Equal(changed, (await Admin.GetHistoryAsync("orders", new AuditQuery { PageSize = 1000 })).Entries.Count);
        await consumer.DisposeAsync();
    }
}

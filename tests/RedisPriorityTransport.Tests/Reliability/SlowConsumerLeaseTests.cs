using System.Diagnostics;
using RedisPriorityTransport.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Reliability;

/// <summary>
/// A consumer that works longer than its lease: renewal keeps the message from a competing consumer; without renewal,
/// or when Redis is unreachable for the slow consumer longer than the lease, the message is redelivered with delivery
/// count 2 and the slow consumer can see that it lost the lease.
/// </summary>
public sealed class SlowConsumerLeaseTests(ITestOutputHelper output) : DedicatedRedisTestBase
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [RedisFact]
    public async Task Renewal_keeps_a_long_running_message_from_being_delivered_twice()
    {
        var (slow, _) = await OpenQueueAsync("rpt-lease-slow", "jobs");
        var (competitor, _) = await OpenQueueAsync("rpt-lease-competitor", "jobs");
        await slow.EnqueueAsync(new QueueMessage("long-job", new byte[1]));
        // Renewing every 200 ms leaves 1.3 s of slack per lease for a busy two-core machine.
        var lease = TimeSpan.FromMilliseconds(1500);
        var job = (await slow.ReserveAsync(1, lease)).Messages.Single();

        var attempts = 0;
        var work = Stopwatch.StartNew();
        await using (var keeper = LeaseKeeper.Start(slow, job, lease, TimeSpan.FromMilliseconds(200)))
        {
            // The work lasts four lease lengths; a competitor keeps trying to take the message all along.
            while (work.Elapsed < 4 * lease)
            {
                attempts++;
                Assert.Empty((await competitor.ReserveAsync(1, lease)).Messages);
                await Task.Delay(25);
            }

            Assert.False(keeper.Lost);
            output.WriteLine($"lease {lease.TotalMilliseconds} ms renewed {keeper.Renewed} times over {work.ElapsedMilliseconds} ms; " +
                             $"a competitor tried {attempts} reserves and got nothing");
        }

        Assert.True(await slow.AcknowledgeAsync(job.Id, job.LeaseToken));
        Assert.Equal(1, job.DeliveryCount);
        Assert.Empty((await competitor.ReserveAsync(1, lease)).Messages);
    }

    [RedisFact]
    public async Task Without_renewal_a_long_running_message_is_redelivered_with_delivery_count_two()
    {
        var (slow, _) = await OpenQueueAsync("rpt-lease-slow", "jobs");
        var (competitor, _) = await OpenQueueAsync("rpt-lease-competitor", "jobs");
        await slow.EnqueueAsync(new QueueMessage("long-job", new byte[1]));
        var job = (await slow.ReserveAsync(1, TimeSpan.FromMilliseconds(300))).Messages.Single();

        var again = await ReserveWhenRedeliveredAsync(competitor);

        Assert.Equal((2, true), (again.DeliveryCount, again.Redelivered));
        Assert.False(await slow.RenewLeaseAsync(job.Id, job.LeaseToken, TimeSpan.FromMinutes(1)));
        Assert.False(await slow.AcknowledgeAsync(job.Id, job.LeaseToken));
        Assert.True(await competitor.AcknowledgeAsync(again.Id, again.LeaseToken));
        output.WriteLine($"no renewal: redelivered to the competitor with DeliveryCount {again.DeliveryCount}; " +
                         "the slow consumer's renew and acknowledge returned false (lease lost, visible)");
    }

    [RedisFact]
    public async Task When_Redis_is_unreachable_longer_than_the_lease_the_redelivery_is_counted_and_visible()
    {
        await using var proxy = LoopbackTcpProxy.Start(Server.Port);
        var (slow, _) = await OpenQueueAsync("rpt-lease-cut-off", "jobs", configureConnection: options =>
        {
            options.EndPoints.Clear();
            options.EndPoints.Add(proxy.Configuration);
        });
        var (competitor, _) = await OpenQueueAsync("rpt-lease-competitor", "jobs");
        await competitor.EnqueueAsync(new QueueMessage("long-job", new byte[1]));
        var lease = TimeSpan.FromSeconds(1);
        var job = (await slow.ReserveAsync(1, lease)).Messages.Single();

        await using var keeper = LeaseKeeper.Start(slow, job, lease, TimeSpan.FromMilliseconds(200));
        await Eventually.HoldsAsync(() => Task.FromResult(keeper.Renewed >= 2), Patience, "two renewals before the cut");
        proxy.Cut();
        var renewedBeforeCut = keeper.Renewed;
        var again = await ReserveWhenRedeliveredAsync(competitor);
        var (renewedWhileCut, failedWhileCut) = (keeper.Renewed - renewedBeforeCut, keeper.Failed);
        proxy.Restore();
        await Eventually.HoldsAsync(() => Task.FromResult(keeper.Lost), Patience, "the slow consumer to find its lease lost after reconnecting");

        // A renewal already answered by Redis when the cut came may still be counted just after it; none after that.
        Assert.InRange(renewedWhileCut, 0, 1);
        Assert.Equal((2, true), (again.DeliveryCount, again.Redelivered));
        Assert.False(await slow.AcknowledgeAsync(job.Id, job.LeaseToken));
        Assert.True(await competitor.AcknowledgeAsync(again.Id, again.LeaseToken));
        output.WriteLine($"renewed {renewedBeforeCut} times, then Redis unreachable for the slow consumer: no renewal got through " +
                         $"({failedWhileCut} failed, the rest waited in the client's backlog); " +
                         $"the competitor got the message with DeliveryCount {again.DeliveryCount}; after reconnecting the slow consumer's renewal " +
                         "reported the lease lost and its acknowledge returned false");
    }

    static async Task<ReservedMessage> ReserveWhenRedeliveredAsync(RedisPriorityQueue competitor)
    {
        ReservedMessage? again = null;
        await Eventually.HoldsAsync(async () =>
        {
            again = (await competitor.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.SingleOrDefault();
            return again is not null;
        }, Patience, "the expired lease to be redelivered to the competitor");
        return again!;
    }
}

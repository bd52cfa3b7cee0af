using MassTransit;
using RedisPriorityTransport.CrashConsumer;
using RedisPriorityTransport.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Transport;

/// <summary>
/// A real consumer process is killed (SIGKILL) in the middle of a message; the message must be delivered again, to a
/// new process, once the dead process's lease expires, and nothing may be left behind.
/// </summary>
public class ProcessCrashTests(ITestOutputHelper output) : TransportTestBase
{
    const string QueueName = "crash-jobs";
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_consumer_process_killed_mid_message_loses_nothing_and_the_next_process_gets_it_again()
    {
        await StartHarness(_ => { });
        var jobs = await Harness.Bus.GetSendEndpoint(new Uri($"queue:{QueueName}"));
        const int rounds = 3;

        for (var round = 1; round <= rounds; round++)
        {
            var jobId = $"job{round}";
            using var doomed = await ConsumerProcess.StartAsync(Redis.Configuration, KeyPrefix, QueueName, lockMs: 1000);
            await jobs.Send(new CrashJob(jobId, Hang: true));
            await doomed.WaitForLineAsync($"started {jobId} 1", Patience);
            doomed.KillHard();

            using var survivor = await ConsumerProcess.StartAsync(Redis.Configuration, KeyPrefix, QueueName, lockMs: 1000);
            await survivor.WaitForLineAsync($"started {jobId} 2", Patience);
            await survivor.WaitForLineAsync($"finished {jobId}", Patience);
            // The handler has returned; the acknowledgement follows it to Redis.
            await Eventually.HoldsAsync(async () => (await Queue(QueueName).GetCountsAsync()).InFlight == 0, Patience,
                $"{jobId} to be acknowledged");
            output.WriteLine($"round {round}: pid {doomed.Id} killed while handling {jobId}; pid {survivor.Id} got it again (delivery 2) and finished it");
            survivor.KillHard();
        }

        var counts = await Queue(QueueName).GetCountsAsync();
        Assert.Equal((0L, 0L, 0L), (counts.Ready, counts.InFlight, counts.Delayed));
        Assert.Equal(0, (await Queue(QueueName + "_error").GetCountsAsync()).Ready);
    }
}

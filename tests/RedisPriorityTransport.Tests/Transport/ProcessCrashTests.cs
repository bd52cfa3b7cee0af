using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using RedisPriorityTransport.CrashConsumer;
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
            using var doomed = await ConsumerProcess.StartAsync(Redis.Configuration, KeyPrefix, QueueName);
            await jobs.Send(new CrashJob(jobId, Hang: true));
            await doomed.WaitForLineAsync($"started {jobId} 1", Patience);
            doomed.KillHard();

            using var survivor = await ConsumerProcess.StartAsync(Redis.Configuration, KeyPrefix, QueueName);
            await survivor.WaitForLineAsync($"started {jobId} 2", Patience);
            await survivor.WaitForLineAsync($"finished {jobId}", Patience);
            // The handler has returned; the acknowledgement follows it to Redis.
            await Infrastructure.Eventually.HoldsAsync(async () => (await Queue(QueueName).GetCountsAsync()).InFlight == 0, Patience,
                $"{jobId} to be acknowledged");
            output.WriteLine($"round {round}: pid {doomed.Id} killed while handling {jobId}; pid {survivor.Id} got it again (delivery 2) and finished it");
            survivor.KillHard();
        }

        var counts = await Queue(QueueName).GetCountsAsync();
        Assert.Equal((0L, 0L, 0L), (counts.Ready, counts.InFlight, counts.Delayed));
        Assert.Equal(0, (await Queue(QueueName + "_error").GetCountsAsync()).Ready);
    }

    /// <summary>The crash consumer program as a child process, its output lines collected.</summary>
    sealed class ConsumerProcess : IDisposable
    {
        readonly Process _process;
        readonly ConcurrentQueue<string> _lines = new();

        ConsumerProcess(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                    _lines.Enqueue(e.Data);
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                    _lines.Enqueue("stderr: " + e.Data);
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public int Id => _process.Id;

        public static async Task<ConsumerProcess> StartAsync(string redis, string keyPrefix, string queue)
        {
            var program = Path.Combine(AppContext.BaseDirectory, "RedisPriorityTransport.CrashConsumer.dll");
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { program, redis, keyPrefix, queue, "1000" })
                start.ArgumentList.Add(argument);
            var consumer = new ConsumerProcess(Process.Start(start)!);
            await consumer.WaitForLineAsync("ready", Patience);
            return consumer;
        }

        public async Task WaitForLineAsync(string line, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!_lines.Contains(line))
            {
                if (_process.HasExited && !_lines.Contains(line))
                    throw new InvalidOperationException($"The consumer process exited ({_process.ExitCode}) before printing '{line}': {string.Join(" | ", _lines)}");
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"The consumer process did not print '{line}' within {timeout}: {string.Join(" | ", _lines)}");
                await Task.Delay(20);
            }
        }

        /// <summary>SIGKILL: no graceful stop, no release, the lease stays behind.</summary>
        public void KillHard()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }

        public void Dispose()
        {
            KillHard();
            _process.Dispose();
        }
    }
}

using RedisPriorityTransport.Tests.Infrastructure;
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

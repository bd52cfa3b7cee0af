using System.Globalization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Transport;

/// <summary>
/// While Redis refuses an endpoint's reserves, the receive loop retries at the pace of the retry policy, even with two
/// round trips on their way when the failures began, and receives again once Redis answers. Runs on a Redis of its own:
/// it breaks the queue's ready key for a while and counts the server's WRONGTYPE errors.
/// </summary>
public sealed class ReserveBackoffTests() : TransportTestBase(StartOwnServer)
{
    LocalRedisProcess? _server;
    static LocalRedisProcess? _starting;

    static async Task<RedisServerHandle> StartOwnServer()
    {
        var process = await LocalRedisProcess.StartAsync();
        _starting = process;
        return await RedisServerHandle.ConnectAsync(process.Configuration, $"redis-server pid {process.ProcessId}", null);
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _server = _starting;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    [Fact]
    public async Task Failing_reserves_are_retried_at_the_policys_pace_and_receiving_resumes()
    {
        var counter = new AttemptCounter();
        await StartHarness(x =>
        {
            x.AddSingleton(counter);
            x.AddConsumer<SlowJobConsumer>().Endpoint(e => e.ConcurrentMessageLimit = 4);
        });
        // A busy endpoint: short jobs keep slots freeing up, so round trips overlap when the failures begin.
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:SlowJob"));
        await Task.WhenAll(Enumerable.Range(0, 400).Select(i => endpoint.Send(new SlowJob($"busy{i}", 2))));
        await PriorityOrderTests.WaitUntil(() => counter.Succeeded("busy0"), TimeSpan.FromSeconds(30), "the first job to finish");

        var ready = $"{KeyPrefix}{{SlowJob}}:SlowJob:ready";
        var saved = $"{KeyPrefix}{{SlowJob}}:saved";
        var errorsBefore = await WrongTypeErrors();
        var reservesBefore = await FailedReserves();
        await Database.ScriptEvaluateAsync("redis.call('RENAME', KEYS[1], KEYS[2]); redis.call('SET', KEYS[1], 'broken')", [ready, saved]);
        var broken = System.Diagnostics.Stopwatch.StartNew();
        long failed;
        try
        {
            await Eventually.HoldsAsync(async () => await WrongTypeErrors() > errorsBefore, TimeSpan.FromSeconds(30), "a reserve to fail");
            // Let the loop retry for a while: about 2 s, in which the policy allows some six attempts (200, 300, 500, 900 ms…).
            await Eventually.HoldsAsync(() => Task.FromResult(broken.Elapsed > TimeSpan.FromSeconds(2)), TimeSpan.FromSeconds(10), "two seconds to pass");
            failed = await FailedReserves() - reservesBefore;
        }
        finally
        {
            await Database.ScriptEvaluateAsync("redis.call('DEL', KEYS[1]); redis.call('RENAME', KEYS[2], KEYS[1])", [ready, saved]);
        }

        Assert.True(failed <= 12, $"{failed} failed reserves in {broken.Elapsed.TotalSeconds:0.0} s: the loop did not back off.");
        await endpoint.Send(new SlowJob("after", 0));
        await PriorityOrderTests.WaitUntil(() => counter.Succeeded("after"), TimeSpan.FromSeconds(60), "a job sent after the failures to be consumed");
    }

    // The reserve script's ZPOPMIN is the command that fails on the broken key (give-backs of the failed reserves fail
    // on it too, at their own pace: they are not the loop's retries).
    async Task<long> FailedReserves()
    {
        var info = (string?)await Database.ExecuteAsync("INFO", "commandstats") ?? "";
        var line = info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("cmdstat_zpopmin:", StringComparison.Ordinal));
        var field = line?.Split(',').FirstOrDefault(f => f.StartsWith("failed_calls=", StringComparison.Ordinal));
        return field is null ? 0 : long.Parse(field["failed_calls=".Length..], CultureInfo.InvariantCulture);
    }

    async Task<long> WrongTypeErrors()
    {
        var info = (string?)await Database.ExecuteAsync("INFO", "errorstats") ?? "";
        var line = info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("errorstat_WRONGTYPE:count=", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line["errorstat_WRONGTYPE:count=".Length..].Split(',')[0], CultureInfo.InvariantCulture);
    }
}

using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Transport;

/// <summary>
/// While Redis refuses an endpoint's reserves, the receive loop retries at the pace of the retry policy, even with two
/// round trips on their way when the failures began, and receives again once Redis answers. Runs on a Redis of its own:
/// it breaks the queue's ready key for a while and counts the server's WRONGTYPE errors.
/// </summary>
public sealed class ReserveBackoffTests : OwnServerTransportTestBase
{
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
        var errorsBefore = await ServerErrors("WRONGTYPE");
        // The reserve script's ZPOPMIN is the command that fails on the broken key (the give-backs of failed reserves
        // fail on it too, at their own pace: they are not the loop's retries).
        var reservesBefore = await FailedCalls("zpopmin");
        // The ready key may already be gone (everything reserved, on a slow machine): the break must not depend on it.
        await Database.ScriptEvaluateAsync(
            "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[2]) end; redis.call('SET', KEYS[1], 'broken')", [ready, saved]);
        var broken = System.Diagnostics.Stopwatch.StartNew();
        long failed;
        try
        {
            await Eventually.HoldsAsync(async () => await ServerErrors("WRONGTYPE") > errorsBefore, TimeSpan.FromSeconds(30), "a reserve to fail");
            // Let the loop retry for a while: about 2 s, in which the policy allows some six attempts (200, 300, 500, 900 ms…).
            await Eventually.HoldsAsync(() => Task.FromResult(broken.Elapsed > TimeSpan.FromSeconds(2)), TimeSpan.FromSeconds(10), "two seconds to pass");
            failed = await FailedCalls("zpopmin") - reservesBefore;
        }
        finally
        {
            await Database.ScriptEvaluateAsync(
                "redis.call('DEL', KEYS[1]); if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('RENAME', KEYS[2], KEYS[1]) end", [ready, saved]);
        }

        Assert.True(failed <= 12, $"{failed} failed reserves in {broken.Elapsed.TotalSeconds:0.0} s: the loop did not back off.");
        await endpoint.Send(new SlowJob("after", 0));
        await PriorityOrderTests.WaitUntil(() => counter.Succeeded("after"), TimeSpan.FromSeconds(60), "a job sent after the failures to be consumed");
    }
}

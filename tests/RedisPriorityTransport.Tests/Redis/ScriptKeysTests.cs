using System.Text.RegularExpressions;
using RedisPriorityTransport.Redis;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Redis;

/// <summary>
/// Each script receives only the keys its <c>--@keys</c> line names: the declaration matches what the script reads,
/// and what the C# side passes matches the declaration and stays in the queue's cluster slot.
/// </summary>
public partial class ScriptKeysTests : QueueTestBase
{
    /// <summary>Every top-level script: the embedded resources under Scripts/, without the includes.</summary>
    public static TheoryData<string> TopLevelScripts()
    {
        var data = new TheoryData<string>();
        const string prefix = "RedisPriorityTransport.Scripts.";
        foreach (var resource in typeof(RedisPriorityQueue).Assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            if (resource.StartsWith(prefix, StringComparison.Ordinal) && resource.EndsWith(".lua", StringComparison.Ordinal) && !resource.Contains("._"))
                data.Add(resource[prefix.Length..^".lua".Length]);
        }

        return data;
    }

    static IEnumerable<EmbeddedScript> EngineScripts =>
    [
        LuaScripts.Enqueue, LuaScripts.Reserve, LuaScripts.Acknowledge, LuaScripts.Release, LuaScripts.Renew, LuaScripts.Move,
        LuaScripts.ChangePriority, LuaScripts.Cancel, LuaScripts.Reclaim, LuaScripts.Counts, LuaScripts.Purge, LuaScripts.GiveBack,
    ];

    static IEnumerable<EmbeddedScript> AdminScriptList =>
    [
        AdminScripts.Summary, AdminScripts.Browse, AdminScripts.Message, AdminScripts.ChangePriority, AdminScripts.Cancel,
        AdminScripts.Redrive, AdminScripts.Purge, AdminScripts.Control, AdminScripts.History,
    ];

    [Theory]
    [MemberData(nameof(TopLevelScripts))]
    public void A_script_reads_exactly_the_keys_it_declares(string name)
    {
        var script = EmbeddedScript.Load(name);
        var code = LuaComment().Replace(script.Source, "");

        // Every key is reached through q: no raw KEYS[n] but in the generated line, and no q[...] that would hide a name.
        var keysLines = code.Split('\n').Where(line => line.Contains("KEYS[", StringComparison.Ordinal)).ToList();
        Assert.True(keysLines.Count == 1 && keysLines[0].StartsWith("local q = {", StringComparison.Ordinal),
            $"{name} uses KEYS directly: {string.Join(" | ", keysLines)}");
        Assert.DoesNotMatch(IndexedQ(), code);

        var used = KeyUse().Matches(code)
            .Select(match => match.Groups[2].Success ? $"{match.Groups[1].Value}.{match.Groups[2].Value}" : match.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);
        var declared = script.KeyNames.ToHashSet(StringComparer.Ordinal);
        Assert.True(used.SetEquals(declared),
            $"{name}: used but not declared [{string.Join(' ', used.Except(declared))}], declared but not used [{string.Join(' ', declared.Except(used))}]");
    }

    [Fact]
    public void A_script_without_a_keys_line_does_not_load()
    {
        // A helper has no --@keys line: loaded as a script, it is refused with the reason.
        var refused = Assert.Throws<InvalidOperationException>(() => EmbeddedScript.Load("includes/now_ms"));

        Assert.Contains("'--@keys'", refused.Message);
    }

    [RedisFact]
    public async Task Every_key_passed_to_a_script_is_in_the_queues_slot()
    {
        var queue = Queue("orders_error");
        var slot = Server.Connection.HashSlot(KeyPrefix + "{orders}:orders_error:ready");
        var elsewhere = new QueueKeys(KeyPrefix, "orders_error_skipped_error");
        var passed = new List<(string Script, StackExchange.Redis.RedisKey[] Keys)>();
        foreach (var script in EngineScripts.Where(s => s != LuaScripts.Move))
            passed.Add((script.Name, queue.ScriptKeys.For(script)));
        foreach (var target in new[] { queue.ErrorQueueName, queue.SkippedQueueName })
            passed.Add(($"move to {target}", queue.ScriptKeys.For(LuaScripts.Move, new QueueKeys(KeyPrefix, target))));
        passed.Add(("move to " + elsewhere.QueueName, queue.ScriptKeys.For(LuaScripts.Move, elsewhere)));
        foreach (var script in AdminScriptList)
            passed.Add((script.Name, AdminScripts.KeysOf(script, KeyPrefix, queue.Name)));

        foreach (var (script, keys) in passed)
        {
            Assert.NotEmpty(keys);
            Assert.Equal(keys.Length, keys.Distinct().Count());
            Assert.All(keys, key => Assert.StartsWith(KeyPrefix + "{orders}:", (string)key!));
            Assert.All(keys, key => Assert.True(Server.Connection.HashSlot(key) == slot, $"{script}: {key} is in another slot"));
        }

        // The scripts run with exactly those keys: one call of each read-only one on this server.
        await Database.ScriptEvaluateAsync(LuaScripts.Counts.Source, queue.ScriptKeys.For(LuaScripts.Counts), [0]);
        await Database.ScriptEvaluateAsync(AdminScripts.Summary.Source, AdminScripts.KeysOf(AdminScripts.Summary, KeyPrefix, queue.Name), [0]);
    }

    [RedisFact]
    public async Task A_queue_passes_each_script_the_keys_it_declares_in_order_and_the_same_array_each_time()
    {
        var queue = Queue();
        var keys = new QueueKeys(KeyPrefix, "orders");

        Assert.Equal([keys.Ready, keys.Delayed, keys.Sequence, keys.Messages, keys.Settled, keys.Sleepers],
            queue.ScriptKeys.For(LuaScripts.Enqueue).Select(key => (string)key!));
        Assert.Equal([keys.InFlight], queue.ScriptKeys.For(LuaScripts.Renew).Select(key => (string)key!));
        foreach (var script in EngineScripts.Where(s => s != LuaScripts.Move))
            Assert.Same(queue.ScriptKeys.For(script), queue.ScriptKeys.For(script));
        var error = new QueueKeys(KeyPrefix, queue.ErrorQueueName);
        Assert.Same(queue.ScriptKeys.For(LuaScripts.Move, error), queue.ScriptKeys.For(LuaScripts.Move, error));

        // And the engine works with them: a message goes through enqueue, reserve, renew and acknowledge.
        await queue.EnqueueAsync(Message("one"));
        var reserved = Assert.Single((await queue.ReserveAsync(10, TimeSpan.FromMinutes(1))).Messages);
        Assert.True(await queue.RenewLeaseAsync(reserved.Id, reserved.LeaseToken, TimeSpan.FromMinutes(1)));
        Assert.True(await queue.AcknowledgeAsync(reserved.Id, reserved.LeaseToken));
        Assert.Empty((await queue.ReserveAsync(10, TimeSpan.FromMinutes(1))).Messages);
    }

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LuaComment();

    // q.name or q.group.name, not part of a longer name (error_q.x) or of a field access (m.q.x).
    [GeneratedRegex(@"(?<![\w.])q\.([a-z_]+)(?:\.([a-z_]+))?")]
    private static partial Regex KeyUse();

    [GeneratedRegex(@"(?<![\w.])q\s*\[")]
    private static partial Regex IndexedQ();
}

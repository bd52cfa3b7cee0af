using StackExchange.Redis;

namespace RedisPriorityTransport.Redis;

/// <summary>The admin scripts (loaded once per process) and the keys they receive.</summary>
internal static class AdminScripts
{
    public static readonly EmbeddedScript Summary = EmbeddedScript.Load("admin_summary");
    public static readonly EmbeddedScript Browse = EmbeddedScript.Load("admin_browse");
    public static readonly EmbeddedScript Message = EmbeddedScript.Load("admin_message");
    public static readonly EmbeddedScript ChangePriority = EmbeddedScript.Load("admin_change_priority");
    public static readonly EmbeddedScript Cancel = EmbeddedScript.Load("admin_cancel");
    public static readonly EmbeddedScript Redrive = EmbeddedScript.Load("admin_redrive");
    public static readonly EmbeddedScript Purge = EmbeddedScript.Load("admin_purge");
    public static readonly EmbeddedScript Control = EmbeddedScript.Load("admin_control");
    public static readonly EmbeddedScript History = EmbeddedScript.Load("admin_history");

    /// <summary>The keys <paramref name="script"/> declares, for queue <paramref name="queueName"/> (see <see cref="ScriptKeys"/>).</summary>
    public static RedisKey[] KeysOf(EmbeddedScript script, string keyPrefix, string queueName) =>
        ScriptKeys.Resolve(script, new QueueKeys(keyPrefix, queueName), new QueueKeys(keyPrefix, queueName + PriorityQueueSettings.ErrorQueueSuffix),
            new QueueKeys(keyPrefix, queueName + PriorityQueueSettings.SkippedQueueSuffix), target: null);

    /// <summary>Runs <paramref name="script"/> on queue <paramref name="queueName"/>, with the keys it declares.</summary>
    public static Task<RedisResult> RunAsync(this IDatabaseAsync database, EmbeddedScript script, string keyPrefix, string queueName, RedisValue[] values) =>
        database.RunAsync(script, KeysOf(script, keyPrefix, queueName), values);

    /// <summary>The keys whose existence shows that a queue exists: any of them.</summary>
    public static RedisKey[] ExistenceKeysOf(string keyPrefix, string queueName)
    {
        var queue = new QueueKeys(keyPrefix, queueName);
        var error = new QueueKeys(keyPrefix, queueName + PriorityQueueSettings.ErrorQueueSuffix);
        var skipped = new QueueKeys(keyPrefix, queueName + PriorityQueueSettings.SkippedQueueSuffix);
        return [queue.Ready, queue.Delayed, queue.InFlight, queue.Sequence, queue.Lease, queue.Messages, queue.Tokens, queue.Deliveries, queue.Settled,
            error.Ready, error.Sequence, error.Messages, skipped.Ready, skipped.Sequence, skipped.Messages, queue.Control, queue.Audit, queue.AuditIndex];
    }

    /// <summary>Every key of a queue that holds data, for sampling memory.</summary>
    public static RedisKey[] DataKeysOf(string keyPrefix, string queueName)
    {
        var queue = new QueueKeys(keyPrefix, queueName);
        var error = new QueueKeys(keyPrefix, queueName + PriorityQueueSettings.ErrorQueueSuffix);
        var skipped = new QueueKeys(keyPrefix, queueName + PriorityQueueSettings.SkippedQueueSuffix);
        return [queue.Ready, queue.Delayed, queue.InFlight, queue.Messages, queue.Tokens, queue.Deliveries, queue.Settled, queue.Control, queue.Audit,
            queue.AuditIndex, error.Ready, error.Messages, skipped.Ready, skipped.Messages];
    }

    /// <summary>The wake-up channel of a queue.</summary>
    public static string WakeChannelOf(string keyPrefix, string queueName) => new QueueKeys(keyPrefix, queueName).WakeChannel;
}

using StackExchange.Redis;

namespace RedisPriorityTransport.Redis;

/// <summary>The admin scripts (loaded once per process) and the eighteen keys each of them receives.</summary>
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

    /// <summary>
    /// The queue's nine keys, its error and skipped queues' ready, sequence and messages keys, its control hash, its
    /// audit stream and audit index: one hash tag, so every admin script runs on one cluster slot.
    /// </summary>
    public static RedisKey[] KeysOf(string keyPrefix, string queueName)
    {
        var queue = new QueueKeys(keyPrefix, queueName);
        var error = new QueueKeys(keyPrefix, queueName + PriorityQueueSettings.ErrorQueueSuffix);
        var skipped = new QueueKeys(keyPrefix, queueName + PriorityQueueSettings.SkippedQueueSuffix);
        return [.. queue.All, error.Ready, error.Sequence, error.Messages, skipped.Ready, skipped.Sequence, skipped.Messages, queue.Control, queue.Audit,
            queue.AuditIndex];
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

using StackExchange.Redis;

namespace RedisPriorityTransport.Redis;

/// <summary>The admin scripts (loaded once per process) and the seventeen keys each of them receives.</summary>
internal static class AdminScripts
{
    public static readonly LuaScript Summary = LuaScript.Load("admin_summary");
    public static readonly LuaScript Browse = LuaScript.Load("admin_browse");
    public static readonly LuaScript Message = LuaScript.Load("admin_message");
    public static readonly LuaScript ChangePriority = LuaScript.Load("admin_change_priority");
    public static readonly LuaScript Cancel = LuaScript.Load("admin_cancel");
    public static readonly LuaScript Redrive = LuaScript.Load("admin_redrive");
    public static readonly LuaScript Purge = LuaScript.Load("admin_purge");
    public static readonly LuaScript Control = LuaScript.Load("admin_control");
    public static readonly LuaScript History = LuaScript.Load("admin_history");

    /// <summary>
    /// The queue's eight keys, its error and skipped queues' ready, sequence and messages keys, its control hash, its
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
        return [queue.Ready, queue.Delayed, queue.InFlight, queue.Messages, queue.Tokens, queue.Deliveries, queue.Control, queue.Audit,
            queue.AuditIndex, error.Ready, error.Messages, skipped.Ready, skipped.Messages];
    }

    /// <summary>The wake-up channel of a queue.</summary>
    public static string WakeChannelOf(string keyPrefix, string queueName) => new QueueKeys(keyPrefix, queueName).WakeChannel;
}

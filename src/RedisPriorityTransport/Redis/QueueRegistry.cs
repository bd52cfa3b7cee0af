using StackExchange.Redis;

namespace RedisPriorityTransport.Redis;

/// <summary>
/// The set of queue names under a key prefix (<c>{prefix}queues</c>), so listing the queues needs no SCAN. A queue
/// adds itself with one SADD when the engine opens it; the set lives in its own cluster slot, so no queue script can
/// write it. Error and skipped queues are listed under the queue they belong to.
/// </summary>
internal static class QueueRegistry
{
    public static RedisKey KeyOf(string keyPrefix) => keyPrefix + "queues";

    /// <summary>The name a queue is listed under: its own, or that of the queue whose error or skipped queue it is.</summary>
    public static string ListedNameOf(string queueName) => QueueNames.HashTagOf(queueName);
}

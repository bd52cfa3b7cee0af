namespace RedisPriorityTransport;

/// <summary>An admin operation named a queue that does not exist under the bus's key prefix.</summary>
public sealed class QueueNotFoundException(string queueName)
    : Exception($"There is no queue named '{queueName}'.")
{
    /// <summary>The queue name that was asked for.</summary>
    public string QueueName { get; } = queueName;
}

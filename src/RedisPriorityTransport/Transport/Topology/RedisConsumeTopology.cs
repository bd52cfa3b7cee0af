using System.Text;
using MassTransit;

namespace RedisPriorityTransport.Transport;

/// <summary>Consume topology: queue names are limited to what a Redis priority queue accepts.</summary>
internal sealed class RedisConsumeTopology() : ConsumeTopology(QueueNames.MaxQueueNameLength)
{
    public override string CreateTemporaryQueueName(string tag)
    {
        // Host and process names may hold characters a queue name cannot; keep the readable part.
        var raw = base.CreateTemporaryQueueName(tag);
        var name = new StringBuilder(raw.Length);
        foreach (var c in raw)
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        return name.Length > QueueNames.MaxQueueNameLength ? name.ToString(0, QueueNames.MaxQueueNameLength) : name.ToString();
    }
}

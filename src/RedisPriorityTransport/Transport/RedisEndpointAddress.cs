namespace RedisPriorityTransport.Transport;

/// <summary>
/// Addresses of a Redis bus: <c>redis://host:port/QUEUE</c> for a queue and <c>redis://host:port/TOPIC?type=topic</c> for a
/// topic. The short forms <c>queue:NAME</c> and <c>topic:NAME</c> resolve against the bus's host address.
/// </summary>
internal readonly record struct RedisEndpointAddress(Uri HostAddress, string Name, bool IsTopic)
{
    public static Uri ForQueue(Uri hostAddress, string queueName) => new(hostAddress, queueName);

    public static Uri ForTopic(Uri hostAddress, string topic) => new(hostAddress, Uri.EscapeDataString(topic) + "?type=topic");

    public Uri ToUri() => IsTopic ? ForTopic(HostAddress, Name) : ForQueue(HostAddress, Name);

    public static RedisEndpointAddress Parse(Uri hostAddress, Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        switch (address.Scheme)
        {
            case "queue":
                return new RedisEndpointAddress(hostAddress, address.AbsolutePath.Trim('/'), false);
            case "topic":
            case "exchange":
                return new RedisEndpointAddress(hostAddress, Uri.UnescapeDataString(address.AbsolutePath.Trim('/')), true);
            case "redis":
            case "rediss":
                var name = Uri.UnescapeDataString(address.Segments.LastOrDefault()?.Trim('/') ?? string.Empty);
                if (string.IsNullOrEmpty(name))
                    throw new ArgumentException($"The address '{address}' names no queue.", nameof(address));
                var isTopic = address.Query.Contains("type=topic", StringComparison.OrdinalIgnoreCase);
                return new RedisEndpointAddress(hostAddress, name, isTopic);
            default:
                throw new ArgumentException($"The address '{address}' is not a Redis address (redis://, queue: or topic:).", nameof(address));
        }
    }
}

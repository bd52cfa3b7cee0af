using MassTransit;

namespace RedisPriorityTransport.Transport;

/// <summary>Topic names: the message URN of a type, so publishing a type reaches every queue that consumes it or one of its base types.</summary>
internal static class RedisTopics
{
    public static string Of(Type messageType) => MessageUrn.ForTypeString(messageType);

    /// <summary>The topics a message of <typeparamref name="T"/> is published to: its own and those of its message base types and interfaces.</summary>
    public static IReadOnlyList<string> PublishedTo<T>() where T : class => Cache<T>.Topics;

    static class Cache<T> where T : class
    {
        public static readonly string[] Topics = MessageTypeCache<T>.MessageTypes.Select(Of).Distinct(StringComparer.Ordinal).ToArray();
    }
}

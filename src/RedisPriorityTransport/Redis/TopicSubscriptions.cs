using StackExchange.Redis;

namespace RedisPriorityTransport;

/// <summary>
/// Which queues receive the messages published to a topic: one Redis SET of queue names per topic, under the same key
/// prefix as the queues (<c>{prefix}{topic:NAME}:subscribers</c>, hash-tagged per topic). Every change increments
/// <c>{prefix}topics:version</c> after it is made, so a publisher that caches subscriber lists checks one number per
/// publish (<see cref="GetVersionAsync"/>) and never misses a subscriber added before its publish began. A change is
/// also announced on <see cref="ChangesChannel"/>.
/// </summary>
internal sealed class TopicSubscriptions
{
    /// <summary>The longest topic name accepted.</summary>
    public const int MaxTopicLength = 512;

    readonly IConnectionMultiplexer _connection;
    readonly string _keyPrefix;

    /// <summary>Opens the registry of <paramref name="keyPrefix"/> on a connection the caller owns.</summary>
    public TopicSubscriptions(IConnectionMultiplexer connection, string keyPrefix)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _keyPrefix = QueueNames.ValidateKeyPrefix(keyPrefix, nameof(keyPrefix));
        ChangesChannel = RedisChannel.Literal(_keyPrefix + "topics:changed");
        _versionKey = _keyPrefix + "topics:version";
    }

    readonly RedisKey _versionKey;

    /// <summary>
    /// The number of subscription changes made so far under this prefix (0 before the first). A subscriber list read
    /// after this value was read is current until the value changes.
    /// </summary>
    public async Task<long> GetVersionAsync()
    {
        var value = await _connection.GetDatabase().StringGetAsync(_versionKey).ConfigureAwait(false);
        return value.IsNull ? 0 : (long)value;
    }

    /// <summary>The channel that carries the name of every topic whose subscribers changed.</summary>
    public RedisChannel ChangesChannel { get; }

    /// <summary>Adds <paramref name="queueName"/> to the subscribers of <paramref name="topic"/>. True when it was not subscribed yet.</summary>
    public async Task<bool> SubscribeAsync(string topic, string queueName)
    {
        var key = KeyOf(topic);
        QueueNames.ValidateQueueName(queueName, nameof(queueName));
        var added = await _connection.GetDatabase().SetAddAsync(key, queueName).ConfigureAwait(false);
        if (added)
            await AnnounceAsync(topic).ConfigureAwait(false);
        return added;
    }

    /// <summary>Removes <paramref name="queueName"/> from the subscribers of <paramref name="topic"/>. True when it was subscribed.</summary>
    public async Task<bool> UnsubscribeAsync(string topic, string queueName)
    {
        var key = KeyOf(topic);
        QueueNames.ValidateQueueName(queueName, nameof(queueName));
        var removed = await _connection.GetDatabase().SetRemoveAsync(key, queueName).ConfigureAwait(false);
        if (removed)
            await AnnounceAsync(topic).ConfigureAwait(false);
        return removed;
    }

    // The version goes up after the set changed and before the caller returns: a publish that begins later reads the
    // new version and rereads the subscribers.
    async Task AnnounceAsync(string topic)
    {
        await _connection.GetDatabase().StringIncrementAsync(_versionKey).ConfigureAwait(false);
        await _connection.GetSubscriber().PublishAsync(ChangesChannel, topic).ConfigureAwait(false);
    }

    /// <summary>The distinct queues subscribed to any of <paramref name="topics"/>, read in one pipelined round trip.</summary>
    public async Task<IReadOnlyList<string>> GetSubscribersAsync(IReadOnlyList<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var batch = _connection.GetDatabase().CreateBatch();
        var reads = topics.Select(topic => batch.SetMembersAsync(KeyOf(topic))).ToArray();
        batch.Execute();
        var members = await Task.WhenAll(reads).ConfigureAwait(false);
        return members.SelectMany(set => set).Select(value => (string)value!).Distinct(StringComparer.Ordinal).ToArray();
    }

    string KeyOf(string topic)
    {
        if (string.IsNullOrEmpty(topic) || topic.Length > MaxTopicLength || topic.Any(c => c is '{' or '}' || char.IsControl(c)))
            throw new ArgumentException($"Topic '{topic}' must be 1..{MaxTopicLength} characters without braces or control characters.", nameof(topic));
        return $"{_keyPrefix}{{topic:{topic}}}:subscribers";
    }
}

using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Transports;
using RedisPriorityTransport.Monitoring;
using StackExchange.Redis;

namespace RedisPriorityTransport.Transport;

/// <summary>
/// One per bus: the Redis connection (opened lazily, reconnected by StackExchange.Redis), the queue instances, the
/// topic subscription registry and a cache of subscriber lists checked against the registry's version on every
/// publish, and the send and publish transports it creates.
/// Stopping it stops the send and consume agents registered with it, then closes an owned connection.
/// </summary>
internal sealed class RedisTransportProvider : Supervisor
{
    readonly RedisHostConfiguration _hostConfiguration;
    readonly SemaphoreSlim _connectLock = new(1, 1);
    readonly ConcurrentDictionary<string, RedisPriorityQueue> _queues = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, (string[] Queues, long Version)> _subscribers = new(StringComparer.Ordinal);
    IConnectionMultiplexer? _connection;
    bool _ownsConnection;
    TopicSubscriptions? _registry;
    Exception? _authenticationFailure;

    public RedisTransportProvider(RedisHostConfiguration hostConfiguration)
    {
        _hostConfiguration = hostConfiguration;
        SetReady();
    }

    public RedisHostSettings Settings => _hostConfiguration.Settings;

    public Uri HostAddress => _hostConfiguration.HostAddress;

    public async Task<IConnectionMultiplexer> GetConnectionAsync()
    {
        if (Volatile.Read(ref _connection) is { } connection)
            return connection;
        await _connectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_connection is not null)
                return _connection;
            // Nothing that can fail follows the connect: a connection made while Redis is down is kept (it reconnects
            // by itself) instead of being dropped, unclosed, for a new one on every retry.
            var (created, owned, refused) = await Settings.ConnectAsync().ConfigureAwait(false);
            if (refused is not null)
                Volatile.Write(ref _authenticationFailure, refused);
            created.ConnectionFailed += OnConnectionFailed;
            created.ConnectionRestored += OnConnectionRestored;
            _ownsConnection = owned;
            _registry = new TopicSubscriptions(created, Settings.KeyPrefix);
            Volatile.Write(ref _connection, created);
            return created;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>
    /// The last authentication failure of the connection, until it connects again. The exception a command fails with
    /// names only the last connection that failed, which may be the subscription connection's reset rather than the
    /// refused credentials; this record lets an endpoint tell a wrong password from an outage all the same.
    /// </summary>
    public Exception? AuthenticationFailure => Volatile.Read(ref _authenticationFailure);

    void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        // Only Redis's own refusal counts: the same failure type also covers a TLS handshake that failed, which may heal.
        if (e.FailureType == ConnectionFailureType.AuthenticationFailure && e.Exception is { } exception && RedisFaults.NamesRefusal(exception))
            Volatile.Write(ref _authenticationFailure, exception);
    }

    void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => Volatile.Write(ref _authenticationFailure, null);

    public async Task<TopicSubscriptions> GetRegistryAsync()
    {
        await GetConnectionAsync().ConfigureAwait(false);
        return _registry!;
    }

    /// <summary>The shared instance of a queue used to send to it.</summary>
    public async Task<RedisPriorityQueue> GetQueueAsync(string queueName)
    {
        if (_queues.TryGetValue(queueName, out var queue))
            return queue;
        var connection = await GetConnectionAsync().ConfigureAwait(false);
        return _queues.GetOrAdd(queueName, name => new RedisPriorityQueue(connection, name, Settings.CreateQueueSettings()));
    }

    /// <summary>
    /// A queue instance owned by one receive endpoint, with that endpoint's delivery limit and duplicate detection
    /// window (the window applies where messages are settled, and that is the receive endpoint).
    /// </summary>
    public async Task<RedisPriorityQueue> CreateReceiveQueueAsync(string queueName, int? maxDeliveryCount, TimeSpan? duplicateDetectionWindow = null)
    {
        var connection = await GetConnectionAsync().ConfigureAwait(false);
        var queue = new RedisPriorityQueue(connection, queueName, Settings.CreateQueueSettings(maxDeliveryCount, duplicateDetectionWindow));
        // Watched by the depth instruments and the health check until the endpoint disposes it.
        QueueDepthMonitor.Register(this, queue);
        return queue;
    }

    /// <summary>The receive queues of this bus that are running, for the health check.</summary>
    public IReadOnlyList<MonitoredQueue> ReceiveQueues => QueueDepthMonitor.QueuesOf(this);

    /// <summary>
    /// Calls <paramref name="enqueue"/> for every queue subscribed to any of <paramref name="topics"/>. The cached list
    /// is used at once while the registry's version is read in the same round trip; when the version moved, the list is
    /// read again and the queues that were missing get the message too, so a subscriber added before the publish began
    /// never misses it.
    /// </summary>
    public async Task FanOutAsync(IReadOnlyList<string> topics, Func<string, Task> enqueue)
    {
        var registry = await GetRegistryAsync().ConfigureAwait(false);
        var key = string.Join('\n', topics);
        var reading = registry.GetVersionAsync();
        var known = _subscribers.TryGetValue(key, out var cached);
        var sends = new List<Task>(known ? cached.Queues.Length + 1 : 1);
        if (known)
            sends.AddRange(cached.Queues.Select(enqueue));
        try
        {
            var version = await reading.ConfigureAwait(false);
            if (!known || cached.Version != version)
            {
                // Read after the version: if it moves again meanwhile, the next publish sees that and reads again.
                var queues = (await registry.GetSubscribersAsync(topics).ConfigureAwait(false)).ToArray();
                _subscribers[key] = (queues, version);
                sends.AddRange(queues.Except(known ? cached.Queues : [], StringComparer.Ordinal).Select(enqueue));
            }
        }
        finally
        {
            await Task.WhenAll(sends).ConfigureAwait(false);
        }
    }

    /// <summary>Drops a deleted queue (a temporary or response queue) from the caches, so it does not live as long as the bus.</summary>
    public async Task ForgetQueueAsync(string queueName)
    {
        if (_queues.TryRemove(queueName, out var queue))
            await queue.DisposeAsync().ConfigureAwait(false);
        foreach (var (key, entry) in _subscribers)
        {
            if (entry.Queues.Contains(queueName, StringComparer.Ordinal))
                _subscribers.TryRemove(key, out _);
        }
    }

    /// <summary>The number of queue instances cached for sending (for tests).</summary>
    internal bool IsQueueCached(string queueName) => _queues.ContainsKey(queueName);

    public Uri NormalizeAddress(Uri address) => RedisEndpointAddress.Parse(HostAddress, address).ToUri();

    public Task<ISendTransport> CreateSendTransport(ReceiveEndpointContext context, Uri address)
    {
        var endpoint = RedisEndpointAddress.Parse(HostAddress, address);
        RedisSendTransportContext transportContext = endpoint.IsTopic
            ? new RedisSendTransportContext(_hostConfiguration, context, this, endpoint.Name, [endpoint.Name])
            : new RedisSendTransportContext(_hostConfiguration, context, this, QueueNames.ValidateQueueName(endpoint.Name, nameof(address)), null);
        var transport = new SendTransport<PipeContext>(transportContext);
        Add(transport);
        return Task.FromResult<ISendTransport>(transport);
    }

    public Task<ISendTransport> CreatePublishTransport<T>(ReceiveEndpointContext context, Uri? publishAddress)
        where T : class
    {
        var topics = RedisTopics.PublishedTo<T>();
        var transportContext = new RedisSendTransportContext(_hostConfiguration, context, this, RedisTopics.Of(typeof(T)), topics);
        var transport = new SendTransport<PipeContext>(transportContext);
        Add(transport);
        return Task.FromResult<ISendTransport>(transport);
    }

    protected override async Task StopSupervisor(StopSupervisorContext context)
    {
        await base.StopSupervisor(context).ConfigureAwait(false);
        foreach (var queue in _queues.Values)
            await queue.DisposeAsync().ConfigureAwait(false);
        _queues.Clear();
        if (_connection is { } watched)
        {
            watched.ConnectionFailed -= OnConnectionFailed;
            watched.ConnectionRestored -= OnConnectionRestored;
        }

        if (_connection is { } connection && _ownsConnection)
        {
            _connection = null;
            await connection.CloseAsync().ConfigureAwait(false);
            connection.Dispose();
        }
    }
}

using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Internals;
using MassTransit.Middleware;
using MassTransit.Transports;
using StackExchange.Redis;

namespace RedisPriorityTransport.Transport;

/// <summary>Receives from one Redis priority queue: starts a <see cref="QueueConsumer"/> each time the endpoint starts.</summary>
internal sealed class RedisReceiveTransport(RedisReceiveEndpointContext context) : IReceiveTransport
{
    public void Probe(ProbeContext probeContext)
    {
        var scope = probeContext.CreateScope("receiveTransport");
        scope.Add("type", "Redis");
        scope.Set(new { Address = context.InputAddress, context.ConcurrentMessageLimit, context.Configuration.LockDuration });
    }

    public ReceiveTransportHandle Start() => new QueueConsumer(context);

    public ConnectHandle ConnectReceiveObserver(IReceiveObserver observer) => context.ConnectReceiveObserver(observer);

    public ConnectHandle ConnectReceiveTransportObserver(IReceiveTransportObserver observer) => context.ConnectReceiveTransportObserver(observer);

    public ConnectHandle ConnectPublishObserver(IPublishObserver observer) => context.ConnectPublishObserver(observer);

    public ConnectHandle ConnectSendObserver(ISendObserver observer) => context.ConnectSendObserver(observer);
}

/// <summary>
/// The receive loop of one endpoint. It reserves messages only for free concurrency slots (several free slots in one
/// reserve), so an urgent message never waits behind prefetched ones; it sleeps on the queue's wake-up signal when the
/// queue is empty; it renews the leases of running messages in one batch; on stop it lets running messages finish and
/// gives back any it reserved but did not start.
/// </summary>
internal sealed class QueueConsumer : ConsumerAgent<string>, ReceiveTransportHandle
{
    static readonly TimeSpan MaxIdleWait = TimeSpan.FromSeconds(30);
    static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    readonly RedisReceiveEndpointContext _context;
    readonly RedisReceiveEndpointConfiguration _configuration;
    readonly SemaphoreSlim _slots;
    readonly int _slotCount;
    readonly ConcurrentDictionary<string, RedisReceiveLockContext> _running = new(StringComparer.Ordinal);
    // Renewal outlives the receive loop: messages still running after stop began keep their leases until they finish.
    readonly CancellationTokenSource _renewalStop = new();
    Task _renewal = Task.CompletedTask;
    RedisPriorityQueue? _queue;

    public QueueConsumer(RedisReceiveEndpointContext context)
        : base(context)
    {
        _context = context;
        _configuration = context.Configuration;
        _slotCount = Math.Max(1, context.ConcurrentMessageLimit ?? (context.PrefetchCount > 0 ? context.PrefetchCount : 16));
        _slots = new SemaphoreSlim(_slotCount, _slotCount);
        TrySetConsumeTask(Task.Run(Run));
    }

    TimeSpan Lease => _configuration.LockDuration;

    Task ReceiveTransportHandle.Stop(CancellationToken cancellationToken) => this.Stop("Stop Receive Transport", cancellationToken);

    async Task Run()
    {
        try
        {
            _queue = await StartQueue().ConfigureAwait(false);
            if (_queue is null)
                return;
            await _context.TransportObservers.NotifyReady(_context.InputAddress).ConfigureAwait(false);
            SetReady();
            _renewal = Task.Run(RenewLeases);
            await ReceiveLoop(_queue).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsStopping && exception is OperationCanceledException)
        {
        }
        catch (Exception exception)
        {
            LogContext.Warning?.Log(exception, "Redis receive loop faulted: {InputAddress}", _context.InputAddress);
            SetNotReady(exception);
        }
    }

    /// <summary>Opens the queue, subscribes it to its topics and purges it if asked; retries while Redis is unreachable.</summary>
    async Task<RedisPriorityQueue?> StartQueue()
    {
        await _context.DependenciesReady.OrCanceled(Stopping).ConfigureAwait(false);
        var attempt = 0;
        RedisPriorityQueue? queue = null;
        while (!IsStopping)
        {
            try
            {
                queue ??= await _context.Transport.CreateReceiveQueueAsync(_configuration.QueueName, _configuration.MaxDeliveryCount)
                    .ConfigureAwait(false);
                var registry = await _context.Transport.GetRegistryAsync().ConfigureAwait(false);
                foreach (var topic in _context.SubscribedTopics)
                    await registry.SubscribeAsync(topic, _configuration.QueueName).ConfigureAwait(false);
                if (_configuration.PurgeOnStartup)
                    await queue.PurgeAsync().ConfigureAwait(false);
                await queue.EnsureSubscribedAsync().ConfigureAwait(false);
                return queue;
            }
            catch (ObjectDisposedException exception)
            {
                // The container or connection is gone (a host stopped and disposed while its bus was still starting):
                // no retry can succeed, so the endpoint gives up instead of retrying forever.
                LogContext.Warning?.Log(exception, "Receive endpoint {InputAddress} not started: {Object} was disposed", _context.InputAddress,
                    exception.ObjectName);
                break;
            }
            catch (Exception exception) when (IsTransient(exception))
            {
                LogContext.Warning?.Log(exception, "Redis unavailable while starting {InputAddress}; retrying", _context.InputAddress);
                await DelayQuietly(RetryDelay(++attempt)).ConfigureAwait(false);
            }
        }

        if (queue is not null)
            await queue.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    async Task ReceiveLoop(RedisPriorityQueue queue)
    {
        var failures = 0;
        while (!IsStopping)
        {
            try
            {
                await _slots.WaitAsync(Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            // Claim every other free slot too, so one reserve serves them all; never more than are free.
            var free = 1;
            while (free < _slotCount && _slots.Wait(0))
                free++;

            IReadOnlyList<ReservedMessage> messages;
            try
            {
                var result = await queue.ReserveOrWaitAsync(free, Lease, MaxIdleWait, Stopping).ConfigureAwait(false);
                messages = result.Messages;
                failures = 0;
            }
            catch (Exception exception) when (exception is OperationCanceledException || IsStopping)
            {
                _slots.Release(free);
                break;
            }
            catch (Exception exception)
            {
                // Whatever went wrong, the endpoint keeps receiving once Redis answers again; it never stops by itself.
                _slots.Release(free);
                LogContext.Warning?.Log(exception, "Redis reserve failed on {InputAddress}; retrying", _context.InputAddress);
                await DelayQuietly(RetryDelay(++failures)).ConfigureAwait(false);
                continue;
            }

            if (messages.Count < free)
                _slots.Release(free - messages.Count);

            if (IsStopping)
            {
                // Reserved after stop began: give them back at their place, without counting a delivery.
                foreach (var message in messages)
                {
                    await ReleaseQuietly(queue, message).ConfigureAwait(false);
                    _slots.Release();
                }

                break;
            }

            // Started in reservation order, on this loop: queueing them to the thread pool would let a later message start
            // first (work-stealing queues are not FIFO), and the priority order would drift beyond the concurrency limit.
            foreach (var message in messages)
                _ = Handle(queue, message);
        }
    }

    async Task Handle(RedisPriorityQueue queue, ReservedMessage message)
    {
        var lockContext = new RedisReceiveLockContext(queue, message, this);
        _running[message.Id] = lockContext;
        var context = new RedisReceiveContext(message, _context, lockContext);
        try
        {
            await Dispatch(message.Id, context, lockContext).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            context.LogTransportFaulted(exception);
        }
        finally
        {
            _running.TryRemove(message.Id, out _);
            context.Dispose();
            _slots.Release();
        }
    }

    internal bool IsShuttingDown => IsStopping;

    /// <summary>Renews the leases of all running messages at half the lease, in one round trip.</summary>
    async Task RenewLeases()
    {
        var interval = TimeSpan.FromTicks(Lease.Ticks / 2);
        while (!_renewalStop.IsCancellationRequested)
        {
            await DelayQuietly(interval, _renewalStop.Token).ConfigureAwait(false);
            var running = _running.Values.Where(x => !x.IsSettled).ToArray();
            if (running.Length == 0 || _queue is null)
                continue;
            try
            {
                var renewed = await _queue.RenewLeasesAsync(running.Select(x => (x.Message.Id, x.Message.LeaseToken)).ToArray(), Lease)
                    .ConfigureAwait(false);
                for (var i = 0; i < running.Length; i++)
                {
                    if (!renewed[i])
                        running[i].LeaseLost();
                }
            }
            catch (Exception exception) when (IsTransient(exception))
            {
                LogContext.Warning?.Log(exception, "Lease renewal failed on {InputAddress}", _context.InputAddress);
            }
        }
    }

    protected override async Task ActiveAndActualAgentsCompleted(StopContext context)
    {
        await base.ActiveAndActualAgentsCompleted(context).ConfigureAwait(false);
        await _renewalStop.CancelAsync().ConfigureAwait(false);
        await _renewal.ConfigureAwait(false);
        if (_queue is { } queue)
        {
            if (_configuration.DeleteOnStop)
            {
                try
                {
                    // A deleted queue must not keep receiving copies of published messages.
                    var registry = await _context.Transport.GetRegistryAsync().ConfigureAwait(false);
                    foreach (var topic in _context.SubscribedTopics)
                        await registry.UnsubscribeAsync(topic, _configuration.QueueName).ConfigureAwait(false);
                    await queue.DeleteAsync().ConfigureAwait(false);
                }
                catch (Exception exception) when (IsTransient(exception))
                {
                    LogContext.Warning?.Log(exception, "Could not delete temporary queue {InputAddress}", _context.InputAddress);
                }
            }

            await queue.DisposeAsync().ConfigureAwait(false);
        }

        await _context.TransportObservers.NotifyCompleted(_context.InputAddress, this).ConfigureAwait(false);
    }

    static async Task ReleaseQuietly(RedisPriorityQueue queue, ReservedMessage message)
    {
        try
        {
            await queue.ReleaseAsync(message.Id, message.LeaseToken, countDelivery: false).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsTransient(exception))
        {
            // The lease expires on its own and the message returns to its place.
        }
    }

    async Task DelayQuietly(TimeSpan delay) => await DelayQuietly(delay, Stopping).ConfigureAwait(false);

    static async Task DelayQuietly(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    static TimeSpan RetryDelay(int attempt) => TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(attempt, 10))));

    internal static bool IsTransient(Exception exception) =>
        exception is RedisException or TimeoutException or ObjectDisposedException;
}

using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Internals;
using MassTransit.Middleware;
using MassTransit.Transports;
using RedisPriorityTransport.Monitoring;
using RedisPriorityTransport.Redis;
using StackExchange.Redis;

namespace RedisPriorityTransport.Transport;

/// <summary>
/// The receive loop of one endpoint. It reserves messages only for free concurrency slots (several free slots in one
/// reserve), so an urgent message never waits behind prefetched ones; it sleeps on the queue's wake-up signal when the
/// queue is empty; it renews the leases of running messages in one batch; on stop it lets running messages finish and
/// gives back any it reserved but did not start.
/// </summary>
internal sealed class QueueConsumer : ConsumerAgent<string>, ReceiveTransportHandle
{
    // Two round trips overlap the client's work on one reply with Redis's work on the next; more add little (one Redis thread).
    const int MaxRoundTripsInFlight = 2;

    // After a short reply with messages running, the loop reserves again within this wait even if none finishes, so
    // enqueues need not wake it (the scripts' WAKE_BUDGET_MS, includes/sleepers.lua, must not be smaller). A wait that
    // ends with nothing new means the handlers are slow: until a reply brings messages again, the loop waits for
    // wake-ups as an idle one does, so a long-running handler costs one poll and not one every few milliseconds.
    static readonly TimeSpan ShortBusyWait = TimeSpan.FromMilliseconds(2);

    readonly RedisReceiveEndpointContext _context;
    readonly RedisReceiveSettings _configuration;
    readonly int _slotCount;
    readonly ConcurrentQueue<PendingAcknowledgement> _pendingAcknowledgements = new();
    // Messages started and not yet finished (a message whose acknowledgement is on its way counts as finished).
    int _occupied;
    // Completed when a message finishes or an acknowledgement is queued: the loop has work.
    TaskCompletionSource _signal = NewSignal();
    bool _loopEnded;
    // Keyed by delivery (message id and lease token): a redelivery of a message whose first handler still runs here
    // after its lease was lost is a delivery of its own, handled and not parked as a duplicate.
    readonly ConcurrentDictionary<string, RunningDelivery> _running = new(StringComparer.Ordinal);
    // Set while the endpoint reports itself faulted (Redis unreachable), so recovery reports it ready again once.
    int _faulted;
    // Renewal outlives the receive loop: messages still running after stop began keep their leases until they finish.
    readonly CancellationTokenSource _renewalStop = new();
    Task _renewal = Task.CompletedTask;
    RedisPriorityQueue? _queue;
    // This loop's entry in the queue's sleepers hash.
    readonly string _loopId = Guid.NewGuid().ToString("N");
    TimeSpan _busyWait = ShortBusyWait;

    public QueueConsumer(RedisReceiveEndpointContext context)
        : base(context)
    {
        _context = context;
        _configuration = context.Configuration.Settings;
        _slotCount = Math.Max(1, context.ConcurrentMessageLimit ?? (context.PrefetchCount > 0 ? context.PrefetchCount : 16));
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
            // Ready covers any unreachable report made while starting.
            Interlocked.Exchange(ref _faulted, 0);
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

    /// <summary>
    /// Tells MassTransit's health checks that the endpoint cannot reach Redis (the endpoint reports Unhealthy), once
    /// per outage; <see cref="ReportReachable"/> reports it ready again.
    /// </summary>
    async Task ReportUnreachable(Exception exception)
    {
        if (Interlocked.Exchange(ref _faulted, 1) == 1)
            return;
        var fault = new ConnectionException($"Redis is unreachable for {_context.InputAddress}: {exception.Message}", exception, isTransient: true);
        await _context.TransportObservers.NotifyFaulted(_context.InputAddress, fault).ConfigureAwait(false);
    }

    async Task ReportReachable()
    {
        if (Interlocked.Exchange(ref _faulted, 0) == 0)
            return;
        LogContext.Info?.Log("Redis reachable again for {InputAddress}", _context.InputAddress);
        await _context.TransportObservers.NotifyReady(_context.InputAddress).ConfigureAwait(false);
    }

    async Task ReportConfigurationFault(Exception exception)
    {
        var fault = new ConnectionException(RedisFaults.DescribeConfigurationFault(exception, _context.InputAddress), exception, isTransient: false);
        LogContext.Error?.Log(exception, "{Reason}", fault.Message);
        Interlocked.Exchange(ref _faulted, 1);
        await _context.TransportObservers.NotifyFaulted(_context.InputAddress, fault).ConfigureAwait(false);
        SetNotReady(fault);
    }

    /// <summary>
    /// The refusal behind a failure, when Redis refused rather than failed to answer: the failure itself (NOPERM,
    /// WRONGPASS, NOAUTH), or, for a failure that looks like an outage, the authentication failure the connection
    /// recorded (the exception of a command names only the last connection that failed, which under load can be the
    /// subscription connection's reset rather than the refused credentials). Null for an outage.
    /// </summary>
    Exception? ConfigurationFaultOf(Exception exception) =>
        RedisFaults.IsConfigurationFault(exception) ? exception
        : RedisFaults.IsTransient(exception) ? _context.Transport.AuthenticationFailure
        : null;

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
                queue ??= await _context.Transport.CreateReceiveQueueAsync(_configuration.QueueName, _configuration.MaxDeliveryCount,
                    _configuration.DuplicateDetectionWindow).ConfigureAwait(false);
                // Credentials Redis refused while connecting: no command needs to time out first to tell.
                if (_context.Transport.AuthenticationFailure is { } refused)
                {
                    await ReportConfigurationFault(refused).ConfigureAwait(false);
                    break;
                }

                var registry = await _context.Transport.GetRegistryAsync().ConfigureAwait(false);
                foreach (var topic in _context.SubscribedTopics)
                    await registry.SubscribeAsync(topic, _configuration.QueueName).ConfigureAwait(false);
                if (_configuration.PurgeOnStartup)
                    await queue.PurgeAsync().ConfigureAwait(false);
                await queue.EnsureSubscribedAsync().ConfigureAwait(false);
                await queue.RecordDuplicateDetectionWindowAsync().ConfigureAwait(false);
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
            catch (Exception exception) when (ConfigurationFaultOf(exception) is { } fault)
            {
                // A missing permission or a wrong password does not heal by retrying: the endpoint fails at once, and
                // a bus still starting fails its start with the reason.
                await ReportConfigurationFault(fault).ConfigureAwait(false);
                break;
            }
            catch (Exception exception) when (_context.RetryPolicy.IsHandled(exception))
            {
                LogContext.Warning?.Log(exception, "Redis unavailable while starting {InputAddress}; retrying", _context.InputAddress);
                await ReportUnreachable(exception).ConfigureAwait(false);
                await DelayQuietly(_context.RetryPolicy.GetRetryInterval(attempt++)).ConfigureAwait(false);
            }
        }

        if (queue is not null)
            await queue.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// The only caller of reserve, and of the acknowledgements of finished messages: each round trip acknowledges what
    /// finished since the last one and refills every slot that is free, so under load one script call serves many
    /// messages. Up to <see cref="MaxRoundTripsInFlight"/> round trips run at once: slots that free up while one is on its
    /// way are refilled by the next instead of waiting for its reply (their replies are handled in the order they were
    /// sent, so messages still start in reservation order). A second round trip is only sent while the queue had more
    /// than the last one took, or to carry acknowledgements. After stop begins it reserves nothing more but keeps
    /// acknowledging until the running messages finish.
    /// </summary>
    async Task ReceiveLoop(RedisPriorityQueue queue)
    {
        var failures = 0;
        var roundTrips = new Queue<ReserveRoundTrip>(MaxRoundTripsInFlight);
        // Slots asked for by round trips still on their way: not free, not yet occupied.
        var requested = 0;
        // The last reply had fewer messages than were asked for: the queue is drained, so nothing is reserved ahead.
        var drained = false;
        try
        {
            while (true)
            {
                // Both signals are read before the state they guard, so a change made after the read is never missed.
                var signal = Volatile.Read(ref _signal).Task;
                var wake = queue.WakeSignal;
                var stopping = IsStopping;

                if (roundTrips.Count < MaxRoundTripsInFlight)
                {
                    var acknowledgements = TakePendingAcknowledgements();
                    var free = stopping || (drained && roundTrips.Count > 0) ? 0 : _slotCount - Volatile.Read(ref _occupied) - requested;
                    if (acknowledgements.Count > 0 || free > 0)
                    {
                        free = Math.Max(0, free);
                        requested += free;
                        var sleeper = new SleeperRegistration(_loopId, Volatile.Read(ref _occupied), (long)_busyWait.TotalMilliseconds,
                            (long)queue.Settings.FallbackPollInterval.TotalMilliseconds);
                        roundTrips.Enqueue(new ReserveRoundTrip(acknowledgements, free, sleeper, queue.AcknowledgeAndReserveByTokenAsync(
                            acknowledgements.Select(x => (x.Message.Id, x.Message.LeaseToken)).ToArray(), free, Lease, sleeper: sleeper)));
                        continue;
                    }

                    if (roundTrips.Count == 0)
                    {
                        if (stopping && Volatile.Read(ref _occupied) == 0)
                            break;
                        await WaitForSignal(signal, null, TimeSpan.MaxValue, stopping).ConfigureAwait(false);
                        continue;
                    }
                }

                // Replies are handled oldest first. While there is room for another round trip, a finished message
                // (the signal) is also worth waking for: its slot and acknowledgement can go out at once.
                var oldest = roundTrips.Peek();
                if (!oldest.Reply.IsCompleted)
                {
                    if (roundTrips.Count < MaxRoundTripsInFlight)
                        await Task.WhenAny(oldest.Reply, signal).ConfigureAwait(false);
                    else
                        await ((Task)oldest.Reply).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    if (!oldest.Reply.IsCompleted)
                        continue;
                }

                roundTrips.Dequeue();
                requested -= oldest.Requested;
                AcknowledgeAndReserveResult result;
                try
                {
                    result = await oldest.Reply.ConfigureAwait(false);
                    failures = 0;
                }
                catch (Exception exception)
                {
                    // Unacknowledged messages stay leased and come back when the lease expires; the endpoint itself keeps
                    // receiving once Redis answers again, it never stops by itself, unless Redis refuses it for good.
                    PendingAcknowledgement.CompleteAll(oldest.Acknowledgements, null, exception);
                    if (!IsStopping && ConfigurationFaultOf(exception) is { } fault)
                    {
                        await ReportConfigurationFault(fault).ConfigureAwait(false);
                        await AbandonRoundTrips(roundTrips).ConfigureAwait(false);
                        return;
                    }

                    if (!IsStopping)
                    {
                        LogContext.Warning?.Log(exception, "Redis reserve failed on {InputAddress}; retrying", _context.InputAddress);
                        await ReportUnreachable(exception).ConfigureAwait(false);
                    }

                    // A round trip sent after this one most likely fails too: settle it (a reply that did come gives its
                    // messages back) before waiting, so a failing Redis is retried at the policy's pace and not faster.
                    await AbandonRoundTrips(roundTrips).ConfigureAwait(false);
                    requested = 0;
                    await DelayQuietly(_context.RetryPolicy.GetRetryInterval(failures++), IsStopping ? CancellationToken.None : Stopping).ConfigureAwait(false);
                    continue;
                }

                await ReportReachable().ConfigureAwait(false);

                PendingAcknowledgement.CompleteAll(oldest.Acknowledgements, result.Acknowledged, null);
                TransportMetrics.Reclaimed(queue.Name, result.Reclaimed);

                var messages = result.Reserved.Messages;
                if (IsStopping)
                {
                    // Reserved after stop began: give them back at their place, without counting a delivery.
                    foreach (var message in messages)
                        await ReleaseQuietly(queue, message).ConfigureAwait(false);
                    continue;
                }

                // Started in reservation order, on this loop: queueing them to the thread pool would let a later message start
                // first (work-stealing queues are not FIFO), and the priority order would drift beyond the concurrency limit.
                foreach (var message in messages)
                {
                    Interlocked.Increment(ref _occupied);
                    _ = Handle(queue, message);
                }

                if (result.HandedOut > 0)
                    _busyWait = ShortBusyWait;
                drained = messages.Count < oldest.Requested;
                if (drained && roundTrips.Count == 0)
                {
                    // Nothing more is ready: sleep until a message arrives, a delayed one is due, a message finishes, or
                    // the fallback poll. With messages running, the script registered the loop as coming back within
                    // the busy wait (enqueues then publish no wake-up), so the loop must not sleep longer than that.
                    // The same rule as the script's, on the same count (an unreadable record it handed out counts too)
                    // and with the wait this call registered.
                    var wait = queue.Settings.FallbackPollInterval;
                    var busyWait = result.HandedOut > 0 || oldest.Sleeper.Running > 0 ? TimeSpan.FromMilliseconds(oldest.Sleeper.BusyWaitMs) : TimeSpan.MaxValue;
                    if (busyWait < wait)
                        wait = busyWait;
                    if (result.Reserved.NextDelayedDueIn is { } due && due < wait)
                        wait = due;
                    await WaitForSignal(signal, wake, wait, stopping: false).ConfigureAwait(false);
                    if (wait == busyWait && !signal.IsCompleted && !wake.IsCompleted)
                        _busyWait = queue.Settings.FallbackPollInterval;
                    drained = false;
                }
            }
        }
        finally
        {
            // Whatever ended the loop, later acknowledgements go straight to Redis.
            Volatile.Write(ref _loopEnded, true);
            // A full fence: the queue is read below only after the flag is visible, so an acknowledgement enqueued
            // meanwhile is either taken here or sees the flag and sends itself (see AcknowledgeAsync).
            Interlocked.MemoryBarrier();
            await AbandonRoundTrips(roundTrips).ConfigureAwait(false);
            foreach (var acknowledgement in TakePendingAcknowledgements())
                await acknowledgement.SendDirectly(queue).ConfigureAwait(false);
        }

        // Round trips still on their way when the loop ends: their acknowledgements are settled and their messages given back.
        async Task AbandonRoundTrips(Queue<ReserveRoundTrip> pending)
        {
            while (pending.TryDequeue(out var roundTrip))
            {
                try
                {
                    var result = await roundTrip.Reply.ConfigureAwait(false);
                    PendingAcknowledgement.CompleteAll(roundTrip.Acknowledgements, result.Acknowledged, null);
                    foreach (var message in result.Reserved.Messages)
                        await ReleaseQuietly(queue, message).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    PendingAcknowledgement.CompleteAll(roundTrip.Acknowledgements, null, exception);
                }
            }
        }
    }

    /// <summary>An acknowledge-and-reserve call on its way: what it carries, how many slots it asked for, and what it registered.</summary>
    sealed record ReserveRoundTrip(List<PendingAcknowledgement> Acknowledgements, int Requested, SleeperRegistration Sleeper, Task<AcknowledgeAndReserveResult> Reply);

    async Task WaitForSignal(Task signal, Task? wake, TimeSpan maxWait, bool stopping)
    {
        if (signal.IsCompleted || wake?.IsCompleted == true)
            return;
        // Before stop the wait also ends on Stopping; after it, only a finished message or an acknowledgement ends it.
        // Task.WaitAsync takes one timer and one registration, released when the wait ends: no linked source, no delay task.
        var woken = wake is null ? signal : Task.WhenAny(signal, wake);
        await woken.WaitAsync(maxWait == TimeSpan.MaxValue ? Timeout.InfiniteTimeSpan : maxWait, stopping ? CancellationToken.None : Stopping)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    List<PendingAcknowledgement> TakePendingAcknowledgements()
    {
        var taken = new List<PendingAcknowledgement>();
        while (_pendingAcknowledgements.TryDequeue(out var acknowledgement))
        {
            // The message has finished: its slot is free for the reserve that carries its acknowledgement.
            if (acknowledgement.LockContext.TryReturnSlot())
                Interlocked.Decrement(ref _occupied);
            taken.Add(acknowledgement);
        }

        return taken;
    }

    /// <summary>Acknowledges a finished message with the loop's next reserve; straight to Redis once the loop has ended.</summary>
    internal Task AcknowledgeAsync(RedisPriorityQueue queue, RedisReceiveLockContext lockContext)
    {
        var acknowledgement = new PendingAcknowledgement(lockContext);
        if (Volatile.Read(ref _loopEnded))
            return acknowledgement.SendDirectly(queue);
        _pendingAcknowledgements.Enqueue(acknowledgement);
        Signal();
        // The loop may have ended between the check and the enqueue; whoever dequeues it sends it.
        if (Volatile.Read(ref _loopEnded) && _pendingAcknowledgements.TryDequeue(out var orphan))
            _ = orphan.SendDirectly(queue);
        return acknowledgement.Completion;
    }

    void Signal() => Interlocked.Exchange(ref _signal, NewSignal()).TrySetResult();

    static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    async Task Handle(RedisPriorityQueue queue, ReservedMessage message)
    {
        var lockContext = new RedisReceiveLockContext(queue, message, this);
        var delivery = DeliveryKey(message);
        _running[delivery] = new RunningDelivery(lockContext);
        RedisReceiveContext? context = null;
        TransportMetrics.MessageStarted(message);
        try
        {
            context = new RedisReceiveContext(message, _context, lockContext);
            await Dispatch(delivery, context, lockContext).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            if (context is null)
                await lockContext.Faulted(exception).ConfigureAwait(false);
            else
                context.LogTransportFaulted(exception);
        }
        finally
        {
            _running.TryRemove(delivery, out _);
            context?.Dispose();
            if (lockContext.TryReturnSlot())
            {
                Interlocked.Decrement(ref _occupied);
                Signal();
            }
        }
    }

    internal bool IsShuttingDown => IsStopping;

    static string DeliveryKey(ReservedMessage message) => string.Concat(message.Id, "#", message.LeaseToken.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Renews the leases of all running messages in one round trip, every third of the lease, so one failed or
    /// timed-out renewal still leaves time for more: after a failure it retries every twentieth of the lease (at least
    /// 50 ms) until one succeeds. No error ends it. A message running longer than <c>MaxLockDuration</c> is given back
    /// (its handler's lock context reports the lease lost).
    /// </summary>
    async Task RenewLeases()
    {
        var interval = TimeSpan.FromTicks(Lease.Ticks / 3);
        var retry = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, Lease.Ticks / 20));
        var wait = interval;
        while (!_renewalStop.IsCancellationRequested)
        {
            await DelayQuietly(wait, _renewalStop.Token).ConfigureAwait(false);
            wait = interval;
            if (_renewalStop.IsCancellationRequested || _queue is not { } queue)
                continue;
            try
            {
                await GiveBackOverdue(queue).ConfigureAwait(false);
                var running = _running.Values.Where(x => x.IsActive).ToArray();
                if (running.Length == 0)
                    continue;
                var renewed = await queue.RenewLeasesAsync(running.Select(x => (x.Message.Id, x.Message.LeaseToken)).ToArray(), Lease)
                    .ConfigureAwait(false);
                for (var i = 0; i < running.Length; i++)
                {
                    if (!renewed[i])
                        running[i].LeaseLost();
                }
            }
            catch (Exception exception)
            {
                LogContext.Warning?.Log(exception, "Lease renewal failed on {InputAddress}; retrying in {Retry} ms", _context.InputAddress,
                    (int)retry.TotalMilliseconds);
                wait = retry;
            }
        }
    }

    /// <summary>Gives back the messages whose handlers have run longer than <c>MaxLockDuration</c>.</summary>
    async Task GiveBackOverdue(RedisPriorityQueue queue)
    {
        var limit = _configuration.MaxLockDuration;
        foreach (var delivery in _running.Values)
        {
            if (!delivery.IsActive || delivery.RunningFor < limit)
                continue;
            delivery.LeaseLost();
            LogContext.Warning?.Log("Message {MessageId} on {InputAddress} has run longer than MaxLockDuration ({MaxLockDuration}); it is given back",
                delivery.Message.Id, _context.InputAddress, limit);
            await queue.ReleaseAsync(delivery.Message.Id, delivery.Message.LeaseToken).ConfigureAwait(false);
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
                    await _context.Transport.ForgetQueueAsync(_configuration.QueueName).ConfigureAwait(false);
                }
                catch (Exception exception) when (_context.RetryPolicy.IsHandled(exception))
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
        catch (Exception exception) when (RedisFaults.IsTransient(exception))
        {
            // The lease expires on its own and the message returns to its place.
        }
    }

    async Task DelayQuietly(TimeSpan delay) => await DelayQuietly(delay, Stopping).ConfigureAwait(false);

    /// <summary>A message being handled: its lease, since when it runs, and whether its lease is still held.</summary>
    sealed class RunningDelivery(RedisReceiveLockContext lockContext)
    {
        readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();
        volatile bool _lost;

        public ReservedMessage Message => lockContext.Message;

        /// <summary>Not settled and its lease not known lost: worth renewing.</summary>
        public bool IsActive => !_lost && !lockContext.IsSettled;

        public TimeSpan RunningFor => System.Diagnostics.Stopwatch.GetElapsedTime(_started);

        public void LeaseLost()
        {
            _lost = true;
            lockContext.LeaseLost();
        }
    }

    /// <summary>A finished message waiting for the loop to acknowledge it; its completion is what <c>Complete</c> awaits.</summary>
    sealed class PendingAcknowledgement(RedisReceiveLockContext lockContext)
    {
        // Continuations run where the completion is set: CompleteAll sets a round trip's completions from one thread-pool
        // work item, so what follows an acknowledgement (MassTransit's post-receive observers, user code among them)
        // never holds up the loop that serves the whole endpoint, and a round trip costs one hop, not one per message.
        readonly TaskCompletionSource _completion = new();

        public RedisReceiveLockContext LockContext => lockContext;

        public ReservedMessage Message => lockContext.Message;

        public Task Completion => _completion.Task;

        // A lease lost before the acknowledgement means the message may be delivered again: worth a warning, not an
        // error of this delivery, which did finish.
        public void Acknowledged(bool deleted)
        {
            if (!deleted)
                LogContext.Warning?.Log("Message {MessageId} on {QueueName} finished after its lease was lost; it may be delivered again",
                    Message.Id, Message.QueueName);
            _completion.TrySetResult();
        }

        // The consumer did finish; only the deletion failed. As MassTransit's SQL transport does, that is a warning and
        // not a fault of the delivery: the message stays leased and comes back when the lease expires.
        public void Failed(Exception exception)
        {
            LogContext.Warning?.Log(exception, "Acknowledging message {MessageId} on {QueueName} failed; it is delivered again when its lease expires",
                Message.Id, Message.QueueName);
            _completion.TrySetResult();
        }

        /// <summary>Completes the acknowledgements of one round trip from one thread-pool work item.</summary>
        public static void CompleteAll(List<PendingAcknowledgement> acknowledgements, IReadOnlyList<bool>? deleted, Exception? exception)
        {
            if (acknowledgements.Count == 0)
                return;
            ThreadPool.UnsafeQueueUserWorkItem(static state =>
            {
                for (var i = 0; i < state.Acknowledgements.Count; i++)
                {
                    if (state.Exception is null)
                        state.Acknowledgements[i].Acknowledged(state.Deleted![i]);
                    else
                        state.Acknowledgements[i].Failed(state.Exception);
                }
            }, (Acknowledgements: acknowledgements, Deleted: deleted, Exception: exception), preferLocal: false);
        }

        public async Task SendDirectly(RedisPriorityQueue queue)
        {
            try
            {
                Acknowledged(await queue.AcknowledgeAsync(Message.Id, Message.LeaseToken).ConfigureAwait(false));
            }
            catch (Exception exception)
            {
                Failed(exception);
            }
        }
    }

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
}

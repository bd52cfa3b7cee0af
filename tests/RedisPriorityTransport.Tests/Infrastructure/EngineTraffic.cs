using StackExchange.Redis;

namespace RedisPriorityTransport.Tests.Infrastructure;

/// <summary>
/// A producer loop and a consumer loop on two queue instances (normally over two connections), running until stopped
/// and surviving every Redis error, with all outcomes in a <see cref="DeliveryLedger"/>. Fault tests start it, break
/// Redis underneath, and wait on its counters.
/// </summary>
public sealed class EngineTraffic : IAsyncDisposable
{
    /// <summary>The most messages one run publishes, so a run is bounded even if nothing stops it.</summary>
    public const int MaxMessages = 200_000;

    readonly RedisPriorityQueue _producerQueue;
    readonly RedisPriorityQueue _consumerQueue;
    readonly TimeSpan _lease;
    readonly CancellationTokenSource _stopProducing = new();
    readonly CancellationTokenSource _stopConsuming = new();
    readonly Task _producer;
    readonly Task _consumer;
    int _deliveries;
    int _publishFailures;

    EngineTraffic(RedisPriorityQueue producerQueue, RedisPriorityQueue consumerQueue, DeliveryLedger ledger, TimeSpan lease)
    {
        _producerQueue = producerQueue;
        _consumerQueue = consumerQueue;
        _lease = lease;
        Ledger = ledger;
        _producer = Task.Run(ProduceAsync);
        _consumer = Task.Run(ConsumeAsync);
    }

    /// <summary>The accounting of this run.</summary>
    public DeliveryLedger Ledger { get; }

    /// <summary>Deliveries so far (duplicates included).</summary>
    public int Deliveries => Volatile.Read(ref _deliveries);

    /// <summary>Publish attempts that failed with a Redis error so far.</summary>
    public int PublishFailures => Volatile.Read(ref _publishFailures);

    /// <summary>Starts producing into <paramref name="producerQueue"/> and consuming from <paramref name="consumerQueue"/> (the same Redis queue).</summary>
    public static EngineTraffic Start(RedisPriorityQueue producerQueue, RedisPriorityQueue consumerQueue, TimeSpan lease) =>
        new(producerQueue, consumerQueue, new DeliveryLedger(), lease);

    /// <summary>Waits until the consumer has received <paramref name="count"/> more messages.</summary>
    public Task WaitForMoreDeliveriesAsync(int count, TimeSpan timeout, string when)
    {
        var target = Deliveries + count;
        return Eventually.HoldsAsync(() => Task.FromResult(Deliveries >= target), timeout, $"{count} more deliveries {when}");
    }

    /// <summary>Waits until a publish attempt fails (Redis is down or the connection was cut).</summary>
    public Task WaitForPublishFailureAsync(TimeSpan timeout, string when)
    {
        var target = PublishFailures + 1;
        return Eventually.HoldsAsync(() => Task.FromResult(PublishFailures >= target), timeout, $"a publish to fail {when}");
    }

    /// <summary>
    /// Stops publishing, then waits until every confirmed message was consumed and the queue is empty (nothing ready,
    /// delayed or in flight: leases left behind by a fault have expired and been consumed again), then stops consuming.
    /// </summary>
    public async Task FinishAsync(TimeSpan timeout)
    {
        await _stopProducing.CancelAsync();
        await _producer.WaitAsync(timeout);
        await Eventually.HoldsAsync(() => Task.FromResult(Ledger.LostCount == 0), timeout, "every confirmed message to be consumed");
        await Eventually.HoldsAsync(async () =>
        {
            var counts = await _consumerQueue.GetCountsAsync();
            return counts.Ready + counts.Delayed + counts.InFlight == 0;
        }, timeout, "the queue to be empty, with nothing left in flight");
        await _stopConsuming.CancelAsync();
        await _consumer.WaitAsync(timeout);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopProducing.CancelAsync();
        await _stopConsuming.CancelAsync();
        await Task.WhenAll(_producer, _consumer).WaitAsync(TimeSpan.FromSeconds(60));
        _stopProducing.Dispose();
        _stopConsuming.Dispose();
    }

    async Task ProduceAsync()
    {
        var stop = _stopProducing.Token;
        for (var i = 0; i < MaxMessages && !stop.IsCancellationRequested; i++)
        {
            var id = $"m{i:D6}";
            var message = new QueueMessage(id, BitConverter.GetBytes(i), new MessagePriority((Urgency)(i % 11)));
            // Retry one id until the queue answers: "added", or "duplicate" when an earlier attempt had landed.
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await _producerQueue.EnqueueAsync(message);
                    Ledger.Published(id);
                    break;
                }
                catch (Exception exception) when (FaultTolerantConnection.IsRedisFault(exception))
                {
                    Ledger.PublishInDoubt(id);
                    Ledger.Error(exception);
                    Interlocked.Increment(ref _publishFailures);
                    await PauseAsync(TimeSpan.FromMilliseconds(100), stop);
                }
            }

            // Pace the producer so the consumer keeps up on a busy two-core machine.
            if (i % 10 == 9)
                await PauseAsync(TimeSpan.FromMilliseconds(5), stop);
        }
    }

    async Task ConsumeAsync()
    {
        var stop = _stopConsuming.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var reserved = await _consumerQueue.ReserveOrWaitAsync(32, _lease, TimeSpan.FromSeconds(1), stop);
                foreach (var message in reserved.Messages)
                {
                    Ledger.Delivered(message.Id);
                    Interlocked.Increment(ref _deliveries);
                }

                await Task.WhenAll(reserved.Messages.Select(AcknowledgeAsync));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (FaultTolerantConnection.IsRedisFault(exception))
            {
                Ledger.Error(exception);
                await PauseAsync(TimeSpan.FromMilliseconds(100), stop);
            }
        }
    }

    async Task AcknowledgeAsync(ReservedMessage message)
    {
        try
        {
            if (!await _consumerQueue.AcknowledgeAsync(message.Id, message.LeaseToken))
                Ledger.AcknowledgementInDoubt(message.Id);
        }
        catch (Exception exception) when (FaultTolerantConnection.IsRedisFault(exception))
        {
            Ledger.AcknowledgementInDoubt(message.Id);
            Ledger.Error(exception);
        }
    }

    // A back-off between retries, not a synchronisation: nothing waits for this pause to have happened.
    static async Task PauseAsync(TimeSpan pause, CancellationToken stop)
    {
        try
        {
            await Task.Delay(pause, stop);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}

/// <summary>StackExchange.Redis connections configured as an application should be for faults.</summary>
public static class FaultTolerantConnection
{
    /// <summary>
    /// Connects with <c>AbortOnConnectFail=false</c> (keeps reconnecting by itself), a 500 ms linear reconnect
    /// policy and 5 s timeouts, named <paramref name="clientName"/> so tests can find it in CLIENT LIST.
    /// </summary>
    public static Task<ConnectionMultiplexer> ConnectAsync(string configuration, string clientName, Action<ConfigurationOptions>? configure = null)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ClientName = clientName;
        options.ConnectTimeout = 5000;
        options.AsyncTimeout = 5000;
        options.SyncTimeout = 5000;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        configure?.Invoke(options);
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>
    /// True for what a Redis outage throws: <see cref="RedisException"/> (connection lost, LOADING…) or
    /// <see cref="RedisTimeoutException"/> (which is a <see cref="TimeoutException"/>, not a RedisException).
    /// </summary>
    public static bool IsRedisFault(Exception exception) => exception is RedisException or RedisTimeoutException;
}

using System.Text.Json;
using RedisPriorityTransport.Benchmarks.Infrastructure;
using StackExchange.Redis;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>How the raw-engine contender's consumers take messages.</summary>
public enum RawConsumerShape
{
    /// <summary>
    /// One loop per concurrency slot, each reserving one message at a time and waiting on the wake-up channel when the
    /// queue is empty: the simplest consumer, and the one the engine's README shows.
    /// </summary>
    LoopPerSlot,

    /// <summary>
    /// One loop per endpoint that reserves as many messages as there are free slots (one script call) and hands them
    /// to handler tasks: one waiter per endpoint, however high the concurrency. The messages finished since its last
    /// call are acknowledged by the same call (<see cref="RedisPriorityQueue.AcknowledgeAndReserveAsync"/>), as the
    /// transport's receive loop does.
    /// </summary>
    OneReserveLoop,
}

/// <summary>
/// The queue engine without MassTransit: the producer enqueues JSON bodies; consumers reserve (waiting on the wake-up
/// channel when the queue is empty), handle and acknowledge, <see cref="RunSpec.Concurrency"/> at a time, in the
/// given <see cref="RawConsumerShape"/>. What Redis and the engine cost, with nothing of MassTransit's pipeline.
/// </summary>
public sealed class RawEngineContender(BenchmarkRedis redis, RawConsumerShape shape) : IContender
{
    /// <summary>The ranking the workloads' event types use.</summary>
    public static PriorityQueueSettings Settings { get; } = new()
    {
        KeyPrefix = "e2e:",
        Ranking = new EventTypeRanking(BenchMessage.RankedEventTypes),
    };

    ConnectionMultiplexer? _connection;

    /// <inheritdoc />
    public string Name => shape == RawConsumerShape.LoopPerSlot ? "raw engine, loop per slot" : "raw engine, one reserve loop";

    /// <inheritdoc />
    public async Task<string?> ProbeAsync()
    {
        _connection ??= await redis.ConnectAgainAsync();
        return null;
    }

    /// <inheritdoc />
    public async Task<IContenderRun> StartRunAsync(RunSpec spec, ConsumptionRecorder recorder)
    {
        _connection ??= await redis.ConnectAgainAsync();
        var queue = new RedisPriorityQueue(_connection, spec.QueueName, Settings);
        await queue.EnsureSubscribedAsync();
        var run = new Run(queue, spec.Concurrency, shape, recorder);
        if (spec.ConsumeImmediately)
            await run.StartConsumingAsync();
        return run;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
    }

    sealed class Run(RedisPriorityQueue queue, int concurrency, RawConsumerShape shape, ConsumptionRecorder recorder) : IContenderRun
    {
        static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
        readonly CancellationTokenSource _stop = new();
        Task[] _loops = [];

        public Task PublishAsync(BenchMessage message) =>
            queue.EnqueueAsync(new QueueMessage(Guid.NewGuid().ToString("N"), JsonSerializer.SerializeToUtf8Bytes(message),
                new MessagePriority((Urgency)message.Urgency, message.EventType)));

        public Task StartConsumingAsync()
        {
            if (_loops.Length == 0)
            {
                _loops = shape == RawConsumerShape.LoopPerSlot
                    ? Enumerable.Range(0, concurrency).Select(_ => Task.Run(ConsumeAsync)).ToArray()
                    : [Task.Run(DispatchAsync)];
            }

            return Task.CompletedTask;
        }

        async Task DispatchAsync()
        {
            var token = _stop.Token;
            using var freeSlots = new SemaphoreSlim(concurrency, concurrency);
            var finished = new System.Collections.Concurrent.ConcurrentQueue<ReservedMessage>();
            var handlers = new List<Task>();
            while (!token.IsCancellationRequested)
            {
                try
                {
                    await freeSlots.WaitAsync(token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                var slots = 1;
                while (slots < concurrency && freeSlots.Wait(0))
                    slots++;
                var acknowledgements = new List<ReservedMessage>();
                while (finished.TryDequeue(out var done))
                    acknowledgements.Add(done);
                ReserveResult reserved;
                try
                {
                    // The finished messages ride on the reserve; only an empty queue makes the loop wait.
                    reserved = (await queue.AcknowledgeAndReserveAsync(acknowledgements, slots, Lease, token)).Reserved;
                    if (reserved.Messages.Count == 0)
                        reserved = await queue.ReserveOrWaitAsync(slots, Lease, TimeSpan.FromSeconds(1), token);
                }
                catch (OperationCanceledException)
                {
                    freeSlots.Release(slots);
                    break;
                }

                if (slots > reserved.Messages.Count)
                    freeSlots.Release(slots - reserved.Messages.Count);
                foreach (var message in reserved.Messages)
                    handlers.Add(HandleAsync(message, finished, freeSlots));
                handlers.RemoveAll(task => task.IsCompleted);
            }

            await Task.WhenAll(handlers);
        }

        async Task HandleAsync(ReservedMessage message, System.Collections.Concurrent.ConcurrentQueue<ReservedMessage> finished, SemaphoreSlim freeSlots)
        {
            try
            {
                await Task.Yield();
                var body = JsonSerializer.Deserialize<BenchMessage>(message.Body)
                    ?? throw new InvalidOperationException($"Message {message.Id} has an empty body.");
                await recorder.HandleAsync(body);
                finished.Enqueue(message);
            }
            finally
            {
                freeSlots.Release();
            }
        }

        async Task ConsumeAsync()
        {
            var token = _stop.Token;
            while (!token.IsCancellationRequested)
            {
                ReserveResult reserved;
                try
                {
                    reserved = await queue.ReserveOrWaitAsync(1, Lease, TimeSpan.FromSeconds(1), token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                foreach (var message in reserved.Messages)
                {
                    var body = JsonSerializer.Deserialize<BenchMessage>(message.Body)
                        ?? throw new InvalidOperationException($"Message {message.Id} has an empty body.");
                    await recorder.HandleAsync(body);
                    await queue.AcknowledgeAsync(message.Id, message.LeaseToken);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_loops);
            await queue.DeleteAsync();
            await queue.DisposeAsync();
            _stop.Dispose();
        }
    }
}

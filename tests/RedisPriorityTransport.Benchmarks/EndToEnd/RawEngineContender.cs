using System.Text.Json;
using RedisPriorityTransport.Benchmarks.Infrastructure;
using StackExchange.Redis;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>
/// The queue engine without MassTransit: the producer enqueues JSON bodies, <see cref="RunSpec.Concurrency"/> consumer
/// loops each reserve one message (waiting on the wake-up channel when the queue is empty), handle it and acknowledge
/// it. What Redis and the engine cost, with nothing of MassTransit's pipeline.
/// </summary>
public sealed class RawEngineContender(BenchmarkRedis redis) : IContender
{
    /// <summary>The ranking the workloads' event types use.</summary>
    public static PriorityQueueSettings Settings { get; } = new()
    {
        KeyPrefix = "e2e:",
        Ranking = new EventTypeRanking(BenchMessage.RankedEventTypes),
    };

    ConnectionMultiplexer? _connection;

    /// <inheritdoc />
    public string Name => "raw engine";

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
        var run = new Run(queue, spec.Concurrency, recorder);
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

    sealed class Run(RedisPriorityQueue queue, int concurrency, ConsumptionRecorder recorder) : IContenderRun
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
                _loops = Enumerable.Range(0, concurrency).Select(_ => Task.Run(ConsumeAsync)).ToArray();
            return Task.CompletedTask;
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

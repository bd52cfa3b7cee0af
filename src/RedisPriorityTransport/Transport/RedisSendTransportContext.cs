using MassTransit;
using MassTransit.Configuration;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Transports;
using RedisPriorityTransport.Monitoring;
using RedisPriorityTransport.Redis;

namespace RedisPriorityTransport.Transport;

/// <summary>
/// Writes sent or published messages to Redis: to one queue, or (for a topic) to every queue subscribed to it, the
/// enqueues pipelined on the shared connection.
/// </summary>
internal sealed class RedisSendTransportContext : BaseSendTransportContext, SendTransportContext<PipeContext>
{
    readonly RedisTransportProvider _transport;
    readonly string? _queueName;
    readonly IReadOnlyList<string>? _topics;

    /// <param name="hostConfiguration">The bus's host configuration.</param>
    /// <param name="context">The endpoint whose serialization is used.</param>
    /// <param name="transport">The bus's transport provider.</param>
    /// <param name="entityName">The queue or topic name, for diagnostics.</param>
    /// <param name="topics">Null to send to the queue <paramref name="entityName"/>; otherwise the topics to fan out to.</param>
    public RedisSendTransportContext(IHostConfiguration hostConfiguration, ReceiveEndpointContext context, RedisTransportProvider transport,
        string entityName, IReadOnlyList<string>? topics)
        : base(hostConfiguration, context.Serialization)
    {
        _transport = transport;
        EntityName = entityName;
        _topics = topics;
        _queueName = topics is null ? entityName : null;
    }

    public override string EntityName { get; }

    public override string ActivitySystem => "redis";

    public override async Task<SendContext<T>> CreateSendContext<T>(T message, IPipe<SendContext<T>> pipe, CancellationToken cancellationToken)
    {
        var sendContext = new RedisSendContext<T>(message, cancellationToken);
        await pipe.Send(sendContext).ConfigureAwait(false);
        return sendContext;
    }

    public Task<SendContext<T>> CreateSendContext<T>(PipeContext context, T message, IPipe<SendContext<T>> pipe, CancellationToken cancellationToken)
        where T : class =>
        CreateSendContext(message, pipe, cancellationToken);

    public async Task Send<T>(PipeContext transportContext, SendContext<T> sendContext)
        where T : class
    {
        sendContext.CancellationToken.ThrowIfCancellationRequested();
        var priority = PriorityHeaders.Resolve(sendContext);

        // The MessageId is the message's identity in its queue: a second send of an id still queued is dropped.
        var messageId = sendContext.MessageId ??= NewId.NextGuid();
        var id = messageId.ToString();
        var headers = TransportHeaders.ToStored(sendContext.Headers);
        headers[MessageHeaders.ContentType] = sendContext.ContentType?.ToString() ?? "application/vnd.masstransit+json";
        var body = (sendContext as MessageSendContext<T>
            ?? throw new ArgumentException("The send context was not created by the Redis transport.", nameof(sendContext))).Body.GetBytes();
        var limit = _transport.Settings.MaxMessageBytes;
        if (body.Length > limit)
            throw new ArgumentException($"The {TypeCache<T>.ShortName} message {sendContext.MessageId} is {body.Length} bytes serialized; "
                + $"the limit (MaxMessageBytes) is {limit}. Nothing was sent to '{EntityName}'.", nameof(sendContext));
        var delay = sendContext.Delay is { } requested && requested > TimeSpan.Zero ? requested : (TimeSpan?)null;
        var message = new QueueMessage(id, body, priority, headers) { Delay = delay };

        try
        {
            await Deliver(sendContext, id, message, delay).ConfigureAwait(false);
        }
        catch (Exception exception) when (UntypedConnectionFailures.Is(exception, sendContext.CancellationToken))
        {
            // Scripts rethrow them already; the topic registry's reads and a queue's registration are single commands.
            throw UntypedConnectionFailures.AsConnectionFailure(exception, $"the send to '{EntityName}'");
        }
    }

    async Task Deliver<T>(SendContext<T> sendContext, string id, QueueMessage message, TimeSpan? delay)
        where T : class
    {
        if (_queueName is not null)
        {
            // A copy of the message being consumed, sent back to its own queue under its own id (MassTransit's
            // DelayedMessageRedeliveryContext, used by the RabbitMQ package's Defer and by missing-instance
            // redelivery), would be dropped as a duplicate of itself: it is given back in place instead.
            if (RedeliveredInPlace(sendContext, id, delay) is { } redelivery)
            {
                await redelivery.ConfigureAwait(false);
                return;
            }

            await EnqueueTo(_queueName, message, sendContext.CancellationToken).ConfigureAwait(false);
            return;
        }

        await _transport.FanOutAsync(_topics!, queueName => EnqueueTo(queueName, message, sendContext.CancellationToken)).ConfigureAwait(false);
    }

    async Task EnqueueTo(string queueName, QueueMessage message, CancellationToken cancellationToken)
    {
        var queue = await _transport.GetQueueAsync(queueName).ConfigureAwait(false);
        var result = await queue.EnqueueAsync(message, cancellationToken).ConfigureAwait(false);
        if (result.IsDuplicate)
        {
            // Not an error: a producer may retry a send or publish that failed half way without duplicating it.
            LogContext.Debug?.Log("Message {MessageId} not enqueued on {QueueName}: a message with this id is queued (or settled within the duplicate detection window)", message.Id, queueName);
            TransportMetrics.DuplicateDropped(queueName);
        }
    }

    Task? RedeliveredInPlace<T>(SendContext<T> sendContext, string id, TimeSpan? delay)
        where T : class
    {
        if (!sendContext.TryGetPayload<ConsumeContext>(out var consumeContext)
            || !consumeContext.ReceiveContext.TryGetPayload<RedisReceiveLockContext>(out var lockContext)
            || lockContext.Message.Id != id || lockContext.Message.QueueName != _queueName || lockContext.IsSettled)
            return null;
        var redeliveryCount = sendContext.Headers.Get<int>(MessageHeaders.RedeliveryCount) ?? lockContext.RedeliveryCount + 1;
        return lockContext.Redeliver(delay ?? TimeSpan.Zero, redeliveryCount);
    }

    public Task Send(IPipe<PipeContext> pipe, CancellationToken cancellationToken = default) => pipe.Send(new TransportPipeContext(cancellationToken));

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateScope("redis");
        scope.Add("entityName", EntityName);
        scope.Add("type", _queueName is null ? "topic" : "queue");
    }

    sealed class TransportPipeContext(CancellationToken cancellationToken) : BasePipeContext(cancellationToken);
}

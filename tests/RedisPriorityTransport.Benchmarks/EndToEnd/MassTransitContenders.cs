using System.Net.Sockets;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>
/// MassTransit on some transport. Each run builds its own bus (<c>AddMassTransit</c> with the transport of the
/// subclass), connects one receive endpoint for the run's queue with <c>ConcurrentMessageLimit</c> and
/// <c>PrefetchCount</c> set to the run's concurrency, and sends to that queue. A subclass only says which transport
/// and, where the transport needs it, how to carry a message's priority.
/// </summary>
public abstract class MassTransitContender : IContender
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract Task<string?> ProbeAsync();

    /// <summary>Selects and configures the transport, for example <c>configurator.UsingInMemory()</c>.</summary>
    protected abstract void ConfigureTransport(IBusRegistrationConfigurator configurator);

    /// <summary>Transport-specific settings of the run's receive endpoint (for example a priority queue argument).</summary>
    protected virtual void ConfigureEndpoint(IReceiveEndpointConfigurator endpoint)
    {
    }

    /// <summary>Transport-specific settings of each send (for example a broker priority from the message's urgency).</summary>
    protected virtual void ConfigureSend(SendContext<BenchMessage> context)
    {
    }

    /// <summary>Where a run's messages are sent; the run's queue by default.</summary>
    protected virtual Uri SendAddress(string queueName) => new($"queue:{queueName}");

    /// <summary>Removes what a run left on the broker, after its bus stopped.</summary>
    protected virtual Task CleanUpAsync(string queueName) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task<IContenderRun> StartRunAsync(RunSpec spec, ConsumptionRecorder recorder)
    {
        var services = new ServiceCollection();
        services.AddMassTransit(ConfigureTransport);
        var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        using (var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            await bus.StartAsync(startTimeout.Token);

        var gate = new ConsumeGate(spec.ConsumeImmediately);
        var handle = bus.ConnectReceiveEndpoint(spec.QueueName, endpoint =>
        {
            endpoint.ConcurrentMessageLimit = spec.Concurrency;
            endpoint.PrefetchCount = spec.Concurrency;
            ConfigureEndpoint(endpoint);
            endpoint.Consumer(() => new BenchConsumer(recorder, gate));
        });
        await handle.Ready.WaitAsync(TimeSpan.FromSeconds(60));
        var sendEndpoint = await bus.GetSendEndpoint(SendAddress(spec.QueueName));
        return new Run(provider, bus, handle, sendEndpoint, gate, this, spec.QueueName);
    }

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>True when something accepts TCP connections on the loopback port.</summary>
    protected static async Task<bool> LoopbackPortAnswersAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Holds handlers back until the workload lets consumers go; marks messages handed out before that.</summary>
    sealed class ConsumeGate(bool open)
    {
        readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsOpen => open || _opened.Task.IsCompleted;

        public Task Opened => open ? Task.CompletedTask : _opened.Task;

        public void Open() => _opened.TrySetResult();
    }

    sealed class BenchConsumer(ConsumptionRecorder recorder, ConsumeGate gate) : IConsumer<BenchMessage>
    {
        public async Task Consume(ConsumeContext<BenchMessage> context)
        {
            var handedOutEarly = !gate.IsOpen;
            if (handedOutEarly)
                await gate.Opened;
            await recorder.HandleAsync(context.Message, handedOutEarly);
        }
    }

    sealed class Run(ServiceProvider provider, IBusControl bus, HostReceiveEndpointHandle handle, ISendEndpoint sendEndpoint,
        ConsumeGate gate, MassTransitContender contender, string queueName) : IContenderRun
    {
        public Task PublishAsync(BenchMessage message) =>
            sendEndpoint.Send(message, context => contender.ConfigureSend(context));

        public Task StartConsumingAsync()
        {
            gate.Open();
            return Task.CompletedTask;
        }

        public async ValueTask DisposeAsync()
        {
            gate.Open();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await handle.StopAsync(timeout.Token);
            await bus.StopAsync(timeout.Token);
            await provider.DisposeAsync();
            await contender.CleanUpAsync(queueName);
        }
    }
}

/// <summary>MassTransit's in-memory transport: no broker, no priority; the ceiling of what MassTransit itself costs.</summary>
public sealed class InMemoryContender : MassTransitContender
{
    /// <inheritdoc />
    public override string Name => "MassTransit in-memory";

    /// <inheritdoc />
    public override Task<string?> ProbeAsync() => Task.FromResult<string?>(null);

    /// <inheritdoc />
    protected override void ConfigureTransport(IBusRegistrationConfigurator configurator) =>
        configurator.UsingInMemory((_, _) => { });
}

/// <summary>
/// MassTransit on RabbitMQ with a priority queue (<c>x-max-priority</c> 10, the message's urgency as its priority):
/// what users would otherwise pick. Event-type rank cannot be expressed there. Runs only when a broker answers on
/// loopback port 5672 (user guest); skipped with a note otherwise.
/// </summary>
/// <param name="durable">
/// True for MassTransit's defaults (durable queue, persistent messages, so the broker writes them to disk before it
/// confirms); false for a transient queue and messages, comparable with a Redis that does not persist.
/// </param>
public sealed class RabbitMqPriorityContender(bool durable) : MassTransitContender
{
    const int AmqpPort = 5672;

    /// <inheritdoc />
    public override string Name => durable ? "MassTransit RabbitMQ priority, durable" : "MassTransit RabbitMQ priority, transient";

    /// <inheritdoc />
    public override async Task<string?> ProbeAsync() =>
        await LoopbackPortAnswersAsync(AmqpPort) ? null : $"no RabbitMQ answers on 127.0.0.1:{AmqpPort}";

    /// <inheritdoc />
    protected override void ConfigureTransport(IBusRegistrationConfigurator configurator) =>
        configurator.UsingRabbitMq((_, bus) => bus.Host("127.0.0.1", (ushort)AmqpPort, "/", host =>
        {
            host.Username("guest");
            host.Password("guest");
        }));

    /// <inheritdoc />
    protected override void ConfigureEndpoint(IReceiveEndpointConfigurator endpoint)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.EnablePriority(UrgencyScale.Max);
            rabbit.Durable = durable;
        }
    }

    /// <summary>
    /// The endpoint's exchange (bound to its queue): sending to the queue address would declare the queue again
    /// without its priority argument, which the broker refuses.
    /// </summary>
    protected override Uri SendAddress(string queueName) => new(durable ? $"exchange:{queueName}" : $"exchange:{queueName}?durable=false");

    /// <inheritdoc />
    protected override async Task CleanUpAsync(string queueName)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { HostName = "127.0.0.1", Port = AmqpPort, UserName = "guest", Password = "guest" };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queueName, ifUnused: false, ifEmpty: false);
        await channel.ExchangeDeleteAsync(queueName, ifUnused: false);
    }

    /// <inheritdoc />
    protected override void ConfigureSend(SendContext<BenchMessage> context)
    {
        context.SetPriority((byte)context.Message.Urgency);
        context.Durable = durable;
    }
}

/// <summary>
/// This library's transport (<c>UsingRedis</c>) on the same Redis as the raw engine, with the workloads' event-type
/// ranking. The message's priority comes from <see cref="BenchMessage"/>'s [Urgency] and [EventType] properties, so
/// no send hook is needed. Each run's queue is deleted afterwards.
/// </summary>
public sealed class RedisTransportContender(string redisConfiguration) : MassTransitContender
{
    const string KeyPrefix = "mt:";
    StackExchange.Redis.ConnectionMultiplexer? _cleanupConnection;

    /// <summary>The Redis the transport uses: the same server as the raw engine.</summary>
    public string RedisConfiguration { get; } = redisConfiguration;

    /// <inheritdoc />
    public override string Name => "MassTransit UsingRedis";

    /// <inheritdoc />
    public override Task<string?> ProbeAsync() => Task.FromResult<string?>(null);

    /// <inheritdoc />
    protected override void ConfigureTransport(IBusRegistrationConfigurator configurator) =>
        configurator.UsingRedis((_, bus) =>
        {
            bus.Host(RedisConfiguration);
            bus.KeyPrefix = KeyPrefix;
            bus.RankEventTypes(BenchMessage.RankedEventTypes);
        });

    /// <inheritdoc />
    protected override async Task CleanUpAsync(string queueName)
    {
        _cleanupConnection ??= await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(RedisConfiguration);
        await using var queue = new RedisPriorityQueue(_cleanupConnection, queueName, new PriorityQueueSettings { KeyPrefix = KeyPrefix });
        await queue.DeleteAsync();
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_cleanupConnection is not null)
            await _cleanupConnection.DisposeAsync();
    }
}

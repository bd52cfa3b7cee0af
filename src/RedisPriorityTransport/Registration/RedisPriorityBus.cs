using MassTransit;

namespace RedisPriorityTransport;

/// <summary>The <see cref="IRedisPriorityBus"/> implementation: forwards everything to the Redis bus.</summary>
internal sealed class RedisPriorityBus(IBusControl busControl) : BusInstance<IRedisPriorityBus>(busControl), IRedisPriorityBus;

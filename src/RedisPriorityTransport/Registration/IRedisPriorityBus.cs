using MassTransit;

namespace RedisPriorityTransport;

/// <summary>
/// The bus added by <c>AddRedisPriorityQueue</c>. It is the application's <see cref="IBus"/> when no other bus was
/// registered, and a second bus (MultiBus) next to an existing one otherwise; inject this interface to reach it in both cases.
/// </summary>
public interface IRedisPriorityBus : IBus;

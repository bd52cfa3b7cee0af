using StackExchange.Redis;

namespace RedisPriorityTransport;

/// <summary>The Redis an admin works on: a connection, the key prefix of its queues and the header that holds fault reasons.</summary>
internal sealed record AdminTarget(IConnectionMultiplexer Connection, string KeyPrefix, string ReasonHeader);

using System.Net.Sockets;
using StackExchange.Redis;

namespace RedisPriorityTransport.Redis;

/// <summary>
/// StackExchange.Redis fails a command that is on its way when the connection resets with the socket's own exception
/// (an <see cref="IOException"/> such as <c>ConnectionResetException</c>, or a <see cref="SocketException"/>) rather
/// than a <see cref="RedisConnectionException"/>; seen during Redis restarts (TransportRedisRestartTests). Callers and
/// the transport's fault handling treat a <see cref="RedisConnectionException"/> as an outage worth retrying, so such
/// a failure is given that type, with the socket's exception inside.
/// </summary>
internal static class BareSocketFailures
{
    /// <summary>A socket-level failure that did not come as a <see cref="RedisException"/>.</summary>
    public static bool Is(Exception exception) => exception is IOException or SocketException;

    /// <summary>The failure as the connection failure it is, naming what was on its way.</summary>
    public static RedisConnectionException AsConnectionFailure(Exception exception, string operation) =>
        new(ConnectionFailureType.SocketFailure, $"The connection to Redis failed while {operation} was on its way: {exception.Message}", exception);
}

using System.Net.Sockets;
using StackExchange.Redis;

namespace RedisPriorityTransport.Redis;

/// <summary>
/// Connection failures StackExchange.Redis reports without a <see cref="RedisConnectionException"/>, seen during
/// Redis restarts (TransportRedisRestartTests):
/// <list type="bullet">
/// <item>the socket's own exception (an <see cref="IOException"/> such as <c>ConnectionResetException</c>, or a
/// <see cref="SocketException"/>) for a command on its way when the connection resets;</item>
/// <item>a cancelled task for a command it gives up on: one written on a connection whose failure it had already
/// reported (it fails those with no exception, which its result box turns into a cancellation), or one it could not
/// write in time. We pass StackExchange.Redis no cancellation token, so a cancellation from it is always its own.</item>
/// </list>
/// Callers and the transport's fault handling treat a <see cref="RedisConnectionException"/> as an outage worth
/// retrying, and a cancellation as the caller giving up; so such a failure is given the connection failure's type,
/// with the original exception inside.
/// </summary>
internal static class UntypedConnectionFailures
{
    /// <summary>A socket-level failure that did not come as a <see cref="RedisException"/>.</summary>
    public static bool IsSocketFailure(Exception exception) => exception is IOException or SocketException;

    /// <summary>
    /// A socket-level failure, or a cancellation the caller did not ask for (<paramref name="callerToken"/> is not
    /// cancelled): StackExchange.Redis's own.
    /// </summary>
    public static bool Is(Exception exception, CancellationToken callerToken = default) =>
        IsSocketFailure(exception) || exception is OperationCanceledException && !callerToken.IsCancellationRequested;

    /// <summary>The failure as the connection failure it is, naming what was on its way.</summary>
    public static RedisConnectionException AsConnectionFailure(Exception exception, string operation) =>
        exception is OperationCanceledException
            ? new(ConnectionFailureType.SocketFailure,
                $"The connection to Redis failed while {operation} was on its way: StackExchange.Redis gave up on the command (whether it ran is unknown)", exception)
            : new(ConnectionFailureType.SocketFailure, $"The connection to Redis failed while {operation} was on its way: {exception.Message}", exception);
}

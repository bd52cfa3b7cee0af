using StackExchange.Redis;

namespace RedisPriorityTransport.Transport;

/// <summary>
/// Tells configuration faults (a missing ACL permission, a wrong password, authentication required) from outages:
/// retrying cannot cure the former, so an endpoint fails at once with the reason instead of retrying forever.
/// </summary>
internal static class RedisFaults
{
    /// <summary>An outage or a connection being replaced: worth retrying (the receive retry policy's filter).</summary>
    public static bool IsTransient(Exception exception) =>
        exception is RedisException or TimeoutException or ObjectDisposedException;

    static readonly string[] ConfigurationErrors = ["NOPERM", "WRONGPASS", "NOAUTH"];

    public static bool IsConfigurationFault(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure })
                return true;
            if (current is RedisException && ConfigurationErrors.Any(code => current.Message.Contains(code, StringComparison.Ordinal)))
                return true;
        }

        return false;
    }

    /// <summary>The reason to report: what Redis refused (its NOPERM text names the command, key or channel) and where to look.</summary>
    public static string DescribeConfigurationFault(Exception exception, Uri inputAddress)
    {
        var detail = exception;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (ConfigurationErrors.Any(code => current.Message.Contains(code, StringComparison.Ordinal)))
                detail = current;
        }

        return $"Redis refused receive endpoint {inputAddress}: {detail.Message}. This is a permission or authentication problem, "
            + "not an outage, so the endpoint does not retry; grant the missing permission (see the ACL rule in docs/security.md) or fix the credentials.";
    }
}

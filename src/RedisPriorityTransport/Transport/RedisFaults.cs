using RedisPriorityTransport.Redis;
using StackExchange.Redis;

namespace RedisPriorityTransport.Transport;

/// <summary>
/// Tells configuration faults (a missing ACL permission, a wrong password, authentication required) from outages:
/// retrying cannot cure the former, so an endpoint fails at once with the reason instead of retrying forever.
/// </summary>
internal static class RedisFaults
{
    /// <summary>
    /// An outage or a connection being replaced: worth retrying (the receive retry policy's filter). A bare socket
    /// failure counts too: StackExchange.Redis sometimes fails a command that was on its way with one.
    /// </summary>
    public static bool IsTransient(Exception exception) =>
        exception is RedisException or TimeoutException or ObjectDisposedException || UntypedConnectionFailures.IsSocketFailure(exception);

    static readonly string[] ConfigurationErrors = ["NOPERM", "WRONGPASS", "NOAUTH"];

    /// <summary>A refusal by Redis, or a connection the client reports as failing authentication.</summary>
    public static bool IsConfigurationFault(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure })
                return true;
        }

        return NamesRefusal(exception);
    }

    /// <summary>
    /// True when Redis's own reply says it refused (NOPERM, WRONGPASS, NOAUTH somewhere in the chain). Stricter than
    /// <see cref="IsConfigurationFault"/>, which also trusts the client's failure type: a connection-level record of a
    /// failure is taken as a refusal only on Redis's word.
    /// </summary>
    public static bool NamesRefusal(Exception exception) => RefusalIn(exception) is not null;

    /// <summary>The reason to report: what Redis refused (its NOPERM text names the command, key or channel) and where to look.</summary>
    public static string DescribeConfigurationFault(Exception exception, Uri inputAddress)
    {
        var detail = RefusalIn(exception) ?? exception;
        return $"Redis refused receive endpoint {inputAddress}: {detail.Message}. This is a permission or authentication problem, "
            + "not an outage, so the endpoint does not retry; grant the missing permission (see the ACL rule in docs/security.md) or fix the credentials.";
    }

    // The innermost exception of the chain whose message carries one of Redis's refusal codes.
    static Exception? RefusalIn(Exception exception)
    {
        Exception? found = null;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (ConfigurationErrors.Any(code => current.Message.Contains(code, StringComparison.Ordinal)))
                found = current;
        }

        return found;
    }
}

using StackExchange.Redis;

namespace RedisPriorityTransport.Redis;

/// <summary>The queue engine's scripts, loaded once per process.</summary>
internal static class LuaScripts
{
    public static readonly EmbeddedScript Enqueue = EmbeddedScript.Load("enqueue");
    public static readonly EmbeddedScript Reserve = EmbeddedScript.Load("reserve");
    public static readonly EmbeddedScript Acknowledge = EmbeddedScript.Load("acknowledge");
    public static readonly EmbeddedScript Release = EmbeddedScript.Load("release");
    public static readonly EmbeddedScript Renew = EmbeddedScript.Load("renew");
    public static readonly EmbeddedScript Move = EmbeddedScript.Load("move");
    public static readonly EmbeddedScript ChangePriority = EmbeddedScript.Load("change_priority");
    public static readonly EmbeddedScript Cancel = EmbeddedScript.Load("cancel");
    public static readonly EmbeddedScript Reclaim = EmbeddedScript.Load("reclaim");
    public static readonly EmbeddedScript Counts = EmbeddedScript.Load("counts");
    public static readonly EmbeddedScript Purge = EmbeddedScript.Load("purge");
    public static readonly EmbeddedScript GiveBack = EmbeddedScript.Load("give_back");

    /// <summary>
    /// Runs a script by its SHA-1 (EVALSHA); when the server does not know it (NOSCRIPT after a restart, a failover or
    /// SCRIPT FLUSH) sends the source once (EVAL), which also caches it again. StackExchange.Redis's own
    /// <c>ScriptEvaluateAsync(string)</c> does the same, but surfaces a connection reset during an outage as a bare
    /// socket exception; so, rarely, does a plain EVALSHA that was on its way when the connection reset, and some it
    /// fails as cancelled. Each is rethrown as the <see cref="RedisConnectionException"/> the transport's fault
    /// handling and callers rely on (<see cref="UntypedConnectionFailures"/>, TransportRedisRestartTests).
    /// </summary>
    public static async Task<RedisResult> RunAsync(this IDatabaseAsync database, EmbeddedScript script, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            try
            {
                return await database.ScriptEvaluateAsync(script.Sha1, keys, values).ConfigureAwait(false);
            }
            catch (RedisServerException exception) when (exception.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
            {
                return await database.ScriptEvaluateAsync(script.Source, keys, values).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (UntypedConnectionFailures.Is(exception))
        {
            throw UntypedConnectionFailures.AsConnectionFailure(exception, $"script '{script.Name}'");
        }
    }
}

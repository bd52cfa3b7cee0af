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
    /// Runs a script. StackExchange.Redis sends it by SHA-1 once the server knows it and sends the source again after
    /// NOSCRIPT (a restart, a failover, SCRIPT FLUSH), so only the include expansion is this library's.
    /// </summary>
    public static Task<RedisResult> RunAsync(this IDatabaseAsync database, EmbeddedScript script, RedisKey[] keys, RedisValue[] values) =>
        database.ScriptEvaluateAsync(script.Source, keys, values);
}

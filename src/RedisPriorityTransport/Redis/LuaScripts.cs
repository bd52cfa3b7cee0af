using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace RedisPriorityTransport.Redis;

/// <summary>The queue engine's scripts, loaded once per process.</summary>
internal static class LuaScripts
{
    public static readonly LuaScript Enqueue = LuaScript.Load("enqueue");
    public static readonly LuaScript Reserve = LuaScript.Load("reserve");
    public static readonly LuaScript Acknowledge = LuaScript.Load("acknowledge");
    public static readonly LuaScript Release = LuaScript.Load("release");
    public static readonly LuaScript Renew = LuaScript.Load("renew");
    public static readonly LuaScript Move = LuaScript.Load("move");
    public static readonly LuaScript ChangePriority = LuaScript.Load("change_priority");
    public static readonly LuaScript Cancel = LuaScript.Load("cancel");
    public static readonly LuaScript Reclaim = LuaScript.Load("reclaim");
    public static readonly LuaScript Counts = LuaScript.Load("counts");
    public static readonly LuaScript Purge = LuaScript.Load("purge");
    public static readonly LuaScript GiveBack = LuaScript.Load("give_back");

    /// <summary>
    /// Runs a script by its SHA-1 (EVALSHA); when the server does not know it (NOSCRIPT after a restart, a failover or
    /// SCRIPT FLUSH) sends the source once (EVAL), which also caches it again.
    /// </summary>
    public static async Task<RedisResult> RunAsync(this IDatabaseAsync database, LuaScript script, RedisKey[] keys, RedisValue[] values)
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
}

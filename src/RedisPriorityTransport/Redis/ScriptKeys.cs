using System.Collections.Concurrent;
using StackExchange.Redis;

namespace RedisPriorityTransport.Redis;

/// <summary>
/// The keys a queue passes to its scripts: each script receives exactly the keys its <c>--@keys</c> line names, in that
/// order (see docs/wire-format.md). This is the one place that knows which key a name stands for: the queue's own keys
/// (<c>ready</c>, <c>control</c>, <c>audit_index</c>, …), its error and skipped queues' (<c>error.ready</c>,
/// <c>skipped.messages</c>, …) and a move's destination (<c>target.ready</c>, …). All of them share the queue's hash tag.
/// </summary>
internal sealed class ScriptKeys
{
    /// <summary>The key names a script may declare.</summary>
    public static readonly IReadOnlyList<string> KnownNames =
    [
        "ready", "delayed", "inflight", "sequence", "lease", "messages", "tokens", "deliveries", "settled", "control", "audit", "audit_index", "sleepers",
        "error.ready", "error.sequence", "error.messages", "skipped.ready", "skipped.sequence", "skipped.messages",
        "target.ready", "target.sequence", "target.messages",
    ];

    static readonly HashSet<string> Known = new(KnownNames, StringComparer.Ordinal);

    readonly QueueKeys _queue;
    readonly QueueKeys _error;
    readonly QueueKeys _skipped;

    // One array per script (and per move target among the error and skipped queues), built at its first call and reused
    // on every call after: StackExchange.Redis only reads the array it is given.
    readonly ConcurrentDictionary<(EmbeddedScript Script, QueueKeys? Target), RedisKey[]> _cache = new();

    public ScriptKeys(QueueKeys queue, QueueKeys error, QueueKeys skipped)
    {
        _queue = queue;
        _error = error;
        _skipped = skipped;
    }

    public static bool IsKnown(string name) => Known.Contains(name);

    /// <summary>The keys of <paramref name="script"/> for this queue; the same array on every call.</summary>
    public RedisKey[] For(EmbeddedScript script) => For(script, null);

    /// <summary>
    /// The keys of <paramref name="script"/> for this queue with <paramref name="target"/> as the move's destination;
    /// the same array on every call when the destination is the error or skipped queue, a new one for any other.
    /// </summary>
    public RedisKey[] For(EmbeddedScript script, QueueKeys? target)
    {
        if (target is not null)
        {
            if (target.Ready == _error.Ready)
                target = _error;
            else if (target.Ready == _skipped.Ready)
                target = _skipped;
            else
                return Resolve(script, _queue, _error, _skipped, target);
        }

        return _cache.GetOrAdd((script, target), static (key, self) => Resolve(key.Script, self._queue, self._error, self._skipped, key.Target), this);
    }

    /// <summary>A new array of the keys <paramref name="script"/> declares, for the given queues.</summary>
    /// <exception cref="InvalidOperationException">The script names a target queue and none is given.</exception>
    public static RedisKey[] Resolve(EmbeddedScript script, QueueKeys queue, QueueKeys error, QueueKeys skipped, QueueKeys? target)
    {
        var keys = new RedisKey[script.KeyNames.Count];
        for (var i = 0; i < keys.Length; i++)
            keys[i] = KeyOf(script, script.KeyNames[i], queue, error, skipped, target);
        return keys;
    }

    static string KeyOf(EmbeddedScript script, string name, QueueKeys queue, QueueKeys error, QueueKeys skipped, QueueKeys? target)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var owner = dot < 0 ? queue : name[..dot] switch
        {
            "error" => error,
            "skipped" => skipped,
            "target" => target ?? throw new InvalidOperationException($"Lua script '{script.Name}' needs a destination queue for key '{name}'."),
            _ => throw Unknown(script, name),
        };
        return name[(dot + 1)..] switch
        {
            "ready" => owner.Ready,
            "delayed" => owner.Delayed,
            "inflight" => owner.InFlight,
            "sequence" => owner.Sequence,
            "lease" => owner.Lease,
            "messages" => owner.Messages,
            "tokens" => owner.Tokens,
            "deliveries" => owner.Deliveries,
            "settled" => owner.Settled,
            "control" => owner.Control,
            "audit" => owner.Audit,
            "audit_index" => owner.AuditIndex,
            "sleepers" => owner.Sleepers,
            _ => throw Unknown(script, name),
        };
    }

    static InvalidOperationException Unknown(EmbeddedScript script, string name) =>
        new($"Lua script '{script.Name}' declares key '{name}', which is not one of: {string.Join(' ', KnownNames)}.");
}

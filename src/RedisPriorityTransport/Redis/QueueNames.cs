using StackExchange.Redis;

namespace RedisPriorityTransport;

/// <summary>Rules for queue names, message ids and key prefixes: what may be put into a Redis key.</summary>
public static class QueueNames
{
    /// <summary>The longest queue name accepted.</summary>
    public const int MaxQueueNameLength = 200;

    /// <summary>The longest message id accepted.</summary>
    public const int MaxMessageIdLength = 256;

    /// <summary>The longest key prefix accepted.</summary>
    public const int MaxKeyPrefixLength = 64;

    /// <summary>
    /// Throws unless <paramref name="queueName"/> is 1..200 characters of letters, digits, <c>-</c>, <c>_</c> and
    /// <c>.</c>. Braces would break the hash tag that keeps a queue's keys in one cluster slot; other characters would
    /// make keys ambiguous.
    /// </summary>
    /// <exception cref="ArgumentException">The name is unusable.</exception>
    public static string ValidateQueueName(string? queueName, string parameterName = "queueName")
    {
        if (string.IsNullOrEmpty(queueName))
            throw new ArgumentException("A queue name must not be null or empty.", parameterName);
        // The error and skipped queues of a queue with the longest name keep their suffix.
        var limit = MaxQueueNameLength + (IsErrorOrSkippedName(queueName) ? PriorityQueueSettings.SkippedQueueSuffix.Length : 0);
        if (queueName.Length > limit)
            throw new ArgumentException($"Queue name '{queueName[..40]}…' is {queueName.Length} characters long; at most {MaxQueueNameLength} are allowed.", parameterName);
        foreach (var c in queueName)
        {
            if (!IsNameCharacter(c))
                throw new ArgumentException($"Queue name '{queueName}' contains '{Printable(c)}'; only letters, digits, '-', '_' and '.' are allowed.", parameterName);
        }

        return queueName;
    }

    /// <summary>Throws unless <paramref name="id"/> is 1..256 characters without control characters.</summary>
    /// <exception cref="ArgumentException">The id is unusable.</exception>
    public static string ValidateMessageId(string? id, string parameterName = "id")
    {
        if (string.IsNullOrEmpty(id))
            throw new ArgumentException("A message id must not be null or empty.", parameterName);
        if (id.Length > MaxMessageIdLength)
            throw new ArgumentException($"Message id '{id[..40]}…' is {id.Length} characters long; at most {MaxMessageIdLength} are allowed.", parameterName);
        foreach (var c in id)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
                throw new ArgumentException($"Message id '{id}' contains '{Printable(c)}'; whitespace and control characters are not allowed.", parameterName);
        }

        return id;
    }

    /// <summary>Throws unless <paramref name="prefix"/> is at most 64 characters of letters, digits and <c>- _ . :</c>.</summary>
    /// <exception cref="ArgumentException">The prefix is unusable.</exception>
    public static string ValidateKeyPrefix(string? prefix, string parameterName = "value")
    {
        ArgumentNullException.ThrowIfNull(prefix, parameterName);
        if (prefix.Length > MaxKeyPrefixLength)
            throw new ArgumentException($"Key prefix '{prefix}' is {prefix.Length} characters long; at most {MaxKeyPrefixLength} are allowed.", parameterName);
        foreach (var c in prefix)
        {
            if (!IsNameCharacter(c) && c != ':')
                throw new ArgumentException($"Key prefix '{prefix}' contains '{Printable(c)}'; only letters, digits, '-', '_', '.' and ':' are allowed.", parameterName);
        }

        return prefix;
    }

    /// <summary>The error queue of <paramref name="queueName"/>.</summary>
    public static string ErrorQueueOf(string queueName) => ValidateQueueName(queueName) + PriorityQueueSettings.ErrorQueueSuffix;

    /// <summary>The skipped (dead-letter) queue of <paramref name="queueName"/>.</summary>
    public static string SkippedQueueOf(string queueName) => ValidateQueueName(queueName) + PriorityQueueSettings.SkippedQueueSuffix;

    /// <summary>
    /// The cluster hash tag of a queue: its name without an <c>_error</c> or <c>_skipped</c> suffix, so a queue and its
    /// error and skipped queues share a slot and a message moves between them in one atomic script.
    /// </summary>
    public static string HashTagOf(string queueName)
    {
        ValidateQueueName(queueName);
        foreach (var suffix in new[] { PriorityQueueSettings.ErrorQueueSuffix, PriorityQueueSettings.SkippedQueueSuffix })
        {
            if (queueName.Length > suffix.Length && queueName.EndsWith(suffix, StringComparison.Ordinal))
                return queueName[..^suffix.Length];
        }

        return queueName;
    }

    static bool IsErrorOrSkippedName(string queueName) =>
        queueName.EndsWith(PriorityQueueSettings.ErrorQueueSuffix, StringComparison.Ordinal)
        || queueName.EndsWith(PriorityQueueSettings.SkippedQueueSuffix, StringComparison.Ordinal);

    static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"\\u{(int)c:X4}" : c.ToString();
}

/// <summary>The Redis keys of one queue. All share the hash tag <c>{tag}</c>; see docs/wire-format.md.</summary>
internal sealed class QueueKeys
{
    public QueueKeys(string keyPrefix, string queueName)
    {
        QueueName = QueueNames.ValidateQueueName(queueName);
        HashTag = QueueNames.HashTagOf(queueName);
        var stem = $"{keyPrefix}{{{HashTag}}}:{queueName}:";
        Ready = stem + "ready";
        Delayed = stem + "delayed";
        InFlight = stem + "inflight";
        Sequence = stem + "seq";
        Lease = stem + "lease";
        Messages = stem + "messages";
        Tokens = stem + "tokens";
        Deliveries = stem + "deliveries";
        WakeChannel = stem + "wake";
        All = [Ready, Delayed, InFlight, Sequence, Lease, Messages, Tokens, Deliveries];
    }

    public string QueueName { get; }
    public string HashTag { get; }
    public string Ready { get; }
    public string Delayed { get; }
    public string InFlight { get; }
    public string Sequence { get; }
    public string Lease { get; }
    public string Messages { get; }
    public string Tokens { get; }
    public string Deliveries { get; }
    public string WakeChannel { get; }

    /// <summary>The eight keys every script receives first, in the order the scripts expect.</summary>
    public RedisKey[] All { get; }

    /// <summary>The four keys the enqueue script uses: ready, delayed, sequence, messages.</summary>
    public RedisKey[] ForEnqueue => _forEnqueue ??= [Ready, Delayed, Sequence, Messages];

    RedisKey[]? _forEnqueue;

    /// <summary>The queue's keys followed by a destination queue's ready, sequence and messages keys.</summary>
    public RedisKey[] WithTarget(QueueKeys target) => [.. All, target.Ready, target.Sequence, target.Messages];
}

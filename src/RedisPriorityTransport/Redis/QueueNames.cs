namespace RedisPriorityTransport;

/// <summary>Rules for queue names, message ids and key prefixes: what may be put into a Redis key.</summary>
internal static class QueueNames
{
    /// <summary>The longest queue name accepted.</summary>
    public const int MaxQueueNameLength = 200;

    /// <summary>The longest name of an error or skipped queue (a queue name with its suffixes).</summary>
    public const int MaxDerivedQueueNameLength = 256;

    /// <summary>The longest message id accepted.</summary>
    public const int MaxMessageIdLength = 256;

    /// <summary>The longest key prefix accepted.</summary>
    public const int MaxKeyPrefixLength = 64;

    /// <summary>
    /// Throws unless <paramref name="queueName"/> is 1..200 characters of letters, digits, <c>-</c>, <c>_</c> and
    /// <c>.</c> (an error or skipped queue may add its suffixes, up to <see cref="MaxDerivedQueueNameLength"/> in all).
    /// Braces would break the hash tag that keeps a queue's keys in one cluster slot; other characters would make keys
    /// ambiguous.
    /// </summary>
    /// <exception cref="ArgumentException">The name is unusable.</exception>
    public static string ValidateQueueName(string? queueName, string parameterName = "queueName")
    {
        if (string.IsNullOrEmpty(queueName))
            throw new ArgumentException("A queue name must not be null or empty.", parameterName);
        // The error and skipped queues of a queue with the longest name keep their suffixes.
        var stem = StripSuffixes(queueName).Length;
        if (stem > MaxQueueNameLength)
            throw new ArgumentException(stem == queueName.Length
                ? $"Queue name '{queueName[..40]}…' is {stem} characters long; at most {MaxQueueNameLength} are allowed."
                : $"Queue name '{queueName[..40]}…' is {stem} characters long without its _error and _skipped suffixes; at most {MaxQueueNameLength} are allowed.",
                parameterName);
        if (queueName.Length > MaxDerivedQueueNameLength)
            throw new ArgumentException($"Queue name '{queueName[..40]}…' is {queueName.Length} characters long; at most {MaxDerivedQueueNameLength} are allowed with _error and _skipped suffixes.", parameterName);
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

    /// <summary>
    /// The error queue of <paramref name="queueName"/>: the name with <c>_error</c> added, also for an error queue
    /// (<c>orders_error</c> faults into <c>orders_error_error</c>, as on MassTransit's other transports).
    /// </summary>
    public static string ErrorQueueOf(string queueName) => ValidateQueueName(queueName) + PriorityQueueSettings.ErrorQueueSuffix;

    /// <summary>The skipped (dead-letter) queue of <paramref name="queueName"/>.</summary>
    public static string SkippedQueueOf(string queueName) => ValidateQueueName(queueName) + PriorityQueueSettings.SkippedQueueSuffix;

    /// <summary>
    /// The cluster hash tag of a queue: its name without its <c>_error</c> and <c>_skipped</c> suffixes (all of them:
    /// <c>orders_error_error</c> has the tag <c>orders</c>), so a queue and its error and skipped queues, and theirs,
    /// share a slot and a message moves between them in one atomic script.
    /// </summary>
    public static string HashTagOf(string queueName)
    {
        ValidateQueueName(queueName);
        return StripSuffixes(queueName);
    }

    static string StripSuffixes(string queueName)
    {
        var stripped = true;
        while (stripped)
        {
            stripped = false;
            foreach (var suffix in new[] { PriorityQueueSettings.ErrorQueueSuffix, PriorityQueueSettings.SkippedQueueSuffix })
            {
                if (queueName.Length > suffix.Length && queueName.EndsWith(suffix, StringComparison.Ordinal))
                {
                    queueName = queueName[..^suffix.Length];
                    stripped = true;
                }
            }
        }

        return queueName;
    }

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
        Settled = stem + "settled";
        WakeChannel = stem + "wake";
        Sleepers = stem + "sleepers";
        Control = stem + "control";
        Audit = stem + "audit";
        AuditIndex = stem + "audit:index";
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
    public string Settled { get; }
    public string WakeChannel { get; }

    /// <summary>Receive loops waiting for messages with free slots → the Redis time by which each reserves again (see enqueue's wake-up rule).</summary>
    public string Sleepers { get; }

    /// <summary>The pause flag and rate limit the reserve script reads (written by the admin scripts).</summary>
    public string Control { get; }

    /// <summary>The capped stream of admin actions on the queue.</summary>
    public string Audit { get; }

    /// <summary>Message id → the ids of its newest audit entries, so a message's history needs no scan of the stream.</summary>
    public string AuditIndex { get; }
}

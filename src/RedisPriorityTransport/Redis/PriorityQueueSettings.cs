namespace RedisPriorityTransport;

/// <summary>Settings shared by the <see cref="RedisPriorityQueue"/> instances of one application.</summary>
public sealed class PriorityQueueSettings
{
    /// <summary>The default key prefix.</summary>
    public const string DefaultKeyPrefix = "rpt:";

    /// <summary>The default largest body, 16 MiB.</summary>
    public const int DefaultMaxBodyBytes = 16 * 1024 * 1024;

    string _keyPrefix = DefaultKeyPrefix;
    EventTypeRanking _ranking = EventTypeRanking.None;
    int _maxBodyBytes = DefaultMaxBodyBytes;
    int _maxDeliveryCount = 10;
    TimeSpan _fallbackPollInterval = TimeSpan.FromSeconds(1);
    string _reasonHeader = "rpt-reason";
    TimeSpan? _duplicateDetectionWindow;

    /// <summary>
    /// Prefix of every key, so applications sharing one Redis stay apart (and an ACL can be limited to it).
    /// Letters, digits and <c>- _ . :</c> only; may be empty.
    /// </summary>
    public string KeyPrefix
    {
        get => _keyPrefix;
        set => _keyPrefix = QueueNames.ValidateKeyPrefix(value);
    }

    /// <summary>How event types rank within one urgency.</summary>
    public EventTypeRanking Ranking
    {
        get => _ranking;
        set => _ranking = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The largest body accepted, in bytes (16 MiB by default). Larger messages are refused before anything is written.</summary>
    public int MaxBodyBytes
    {
        get => _maxBodyBytes;
        set => _maxBodyBytes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxBodyBytes must be positive.");
    }

    /// <summary>
    /// How many deliveries a message gets before an expired lease sends it to the error queue instead of back to ready
    /// (10 by default).
    /// </summary>
    public int MaxDeliveryCount
    {
        get => _maxDeliveryCount;
        set => _maxDeliveryCount = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxDeliveryCount must be positive.");
    }

    /// <summary>The longest an idle waiter goes without asking Redis, in case a wake-up notification was lost (1 s by default).</summary>
    public TimeSpan FallbackPollInterval
    {
        get => _fallbackPollInterval;
        set => _fallbackPollInterval = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "FallbackPollInterval must be positive.");
    }

    /// <summary>The header the queue writes a move or dead-letter reason into (<c>rpt-reason</c> by default).</summary>
    public string ReasonHeader
    {
        get => _reasonHeader;
        set => _reasonHeader = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("ReasonHeader must not be empty.", nameof(value));
    }

    /// <summary>
    /// How long after a message is settled (acknowledged, moved to the error or skipped queue, dead-lettered or
    /// cancelled) through this instance a new message with its id is still a duplicate; null (the default) for only
    /// while it is waiting, delayed or in flight. Each remembered id costs Redis memory until its window ends (see
    /// docs/transport.md); the ids are forgotten by the reserve script, so memory stays bounded by the ids
    /// settled within one window.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive.</exception>
    public TimeSpan? DuplicateDetectionWindow
    {
        get => _duplicateDetectionWindow;
        set => _duplicateDetectionWindow = ValidateDuplicateDetectionWindow(value);
    }

    internal static TimeSpan? ValidateDuplicateDetectionWindow(TimeSpan? value) =>
        value is null || value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "DuplicateDetectionWindow must be positive, or null for none.");

    internal long DuplicateDetectionWindowMs =>
        _duplicateDetectionWindow is { } window ? (long)Math.Ceiling(window.TotalMilliseconds) : 0;

    /// <summary>Suffix of the queue that receives faulted messages.</summary>
    public const string ErrorQueueSuffix = "_error";

    /// <summary>Suffix of the queue that receives messages nobody could consume.</summary>
    public const string SkippedQueueSuffix = "_skipped";
}

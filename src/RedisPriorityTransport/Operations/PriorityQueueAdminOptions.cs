namespace RedisPriorityTransport;

/// <summary>
/// Settings of <see cref="IPriorityQueueAdmin"/>: how much history each queue keeps and how much work one call may do.
/// With MassTransit, set them with <c>services.Configure&lt;PriorityQueueAdminOptions&gt;(…)</c>.
/// </summary>
public sealed class PriorityQueueAdminOptions
{
    int _auditMaxLength = 10_000;
    TimeSpan _auditMaxAge = TimeSpan.FromDays(30);
    TimeSpan _memoryCacheDuration = TimeSpan.FromSeconds(30);
    int _memorySamples = 5;
    int _browseScanLimit = 1_000;

    /// <summary>
    /// Entries each queue's audit stream keeps, at least (10,000 by default): Redis trims it in whole nodes, so a few
    /// more may remain.
    /// </summary>
    public int AuditMaxLength
    {
        get => _auditMaxLength;
        set => _auditMaxLength = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "AuditMaxLength must be positive.");
    }

    /// <summary>Entries older than this are trimmed when a new one is written (30 days by default); <see cref="TimeSpan.Zero"/> keeps entries of any age.</summary>
    public TimeSpan AuditMaxAge
    {
        get => _auditMaxAge;
        set => _auditMaxAge = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "AuditMaxAge must not be negative.");
    }

    /// <summary>How long a queue's sampled memory is reused before it is sampled again (30 s by default).</summary>
    public TimeSpan MemoryCacheDuration
    {
        get => _memoryCacheDuration;
        set => _memoryCacheDuration = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MemoryCacheDuration must not be negative.");
    }

    /// <summary>Elements <c>MEMORY USAGE … SAMPLES</c> looks at per key (5 by default); 0 disables the memory estimate.</summary>
    public int MemorySamples
    {
        get => _memorySamples;
        set => _memorySamples = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MemorySamples must not be negative.");
    }

    /// <summary>
    /// Messages (or audit entries) one filtered page examines at most (1,000 by default). A page whose filter matches
    /// few messages may come back short, with a cursor to go on; an unfiltered page is never short.
    /// </summary>
    public int BrowseScanLimit
    {
        get => _browseScanLimit;
        set => _browseScanLimit = value is >= 1 and <= 100_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "BrowseScanLimit must be 1..100,000.");
    }

    /// <summary>Messages one redrive or purge script moves or deletes (500); larger operations run as several steps.</summary>
    internal int BatchSize { get; set; } = 500;
}

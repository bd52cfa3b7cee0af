namespace RedisPriorityTransport.Transport;

/// <summary>
/// What one receive endpoint runs with. The endpoint's configurator only fills it and its <c>Validate</c> checks it, so
/// every bad value is reported at once when the bus is built; the receive loop only reads it.
/// </summary>
internal sealed class RedisReceiveSettings(string queueName, RedisHostSettings hostSettings)
{
    /// <summary>The lease of a reserved message unless the bus or the endpoint sets another.</summary>
    public static readonly TimeSpan DefaultLockDuration = TimeSpan.FromSeconds(30);

    /// <summary>MassTransit's SQL transport default.</summary>
    public static readonly TimeSpan DefaultMaxLockDuration = TimeSpan.FromHours(12);

    /// <summary>A shorter lease would expire between two renewals of a busy endpoint.</summary>
    public static readonly TimeSpan MinLockDuration = TimeSpan.FromMilliseconds(100);

    TimeSpan? _duplicateDetectionWindow;
    bool _duplicateDetectionWindowSet;

    public string QueueName { get; } = queueName;

    public TimeSpan LockDuration { get; set; } = DefaultLockDuration;

    public TimeSpan MaxLockDuration { get; set; } = DefaultMaxLockDuration;

    /// <summary>Null for the engine's default.</summary>
    public int? MaxDeliveryCount { get; set; }

    /// <summary>This endpoint's window, or the bus default when it set none.</summary>
    public TimeSpan? DuplicateDetectionWindow
    {
        get => _duplicateDetectionWindowSet ? _duplicateDetectionWindow : hostSettings.DuplicateDetectionWindow;
        set
        {
            _duplicateDetectionWindow = value;
            _duplicateDetectionWindowSet = true;
        }
    }

    public bool PurgeOnStartup { get; set; }

    /// <summary>True for temporary endpoints (the bus endpoint, temporary definitions): the queue is deleted when the endpoint stops.</summary>
    public bool DeleteOnStop { get; set; }

    /// <summary>Every setting that cannot run, each with its key and a message naming the value.</summary>
    public IEnumerable<(string Key, string Message)> Problems()
    {
        var queueName = Check(() => QueueNames.ValidateQueueName(QueueName));
        if (queueName is not null)
            yield return (nameof(QueueName), queueName);
        if (LockDuration <= MinLockDuration)
            yield return (nameof(LockDuration), $"LockDuration ({LockDuration}) must be longer than {MinLockDuration.TotalMilliseconds} ms.");
        if (MaxLockDuration <= TimeSpan.Zero)
            yield return (nameof(MaxLockDuration), $"MaxLockDuration ({MaxLockDuration}) must be positive.");
        else if (MaxLockDuration <= LockDuration)
            yield return (nameof(MaxLockDuration), $"MaxLockDuration ({MaxLockDuration}) must be longer than LockDuration ({LockDuration}).");
        if (MaxDeliveryCount is <= 0)
            yield return (nameof(MaxDeliveryCount), $"MaxDeliveryCount ({MaxDeliveryCount}) must be positive.");
        var window = Check(() => PriorityQueueSettings.ValidateDuplicateDetectionWindow(DuplicateDetectionWindow));
        if (window is not null)
            yield return (nameof(DuplicateDetectionWindow), window);
    }

    static string? Check(Action validate)
    {
        try
        {
            validate();
            return null;
        }
        catch (ArgumentException exception)
        {
            return exception.Message;
        }
    }
}

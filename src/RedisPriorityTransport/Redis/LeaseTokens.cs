using System.Security.Cryptography;

namespace RedisPriorityTransport.Redis;

/// <summary>
/// Hands out the lease tokens of one queue instance: a random 10-digit prefix followed by a 9-digit counter, so the
/// token of a delivery is unique to the consumer that reserved it. A per-queue counter in Redis could repeat after a
/// failover to a replica that missed the last increments, letting a stale consumer settle another one's delivery.
/// </summary>
internal sealed class LeaseTokens
{
    const long CounterLimit = 1_000_000_000;
    readonly object _lock = new();
    long _prefix = NewPrefix();
    long _counter;

    /// <summary>Reserves <paramref name="count"/> consecutive tokens (at least one, so every call names its range).</summary>
    public LeaseTokenRange Next(int count)
    {
        count = Math.Max(1, count);
        lock (_lock)
        {
            if (_counter + count > CounterLimit)
            {
                _prefix = NewPrefix();
                _counter = 0;
            }

            var range = new LeaseTokenRange(_prefix.ToString(System.Globalization.CultureInfo.InvariantCulture), _counter, count);
            _counter += count;
            return range;
        }
    }

    // 10 digits, so prefix and counter together stay below long.MaxValue (19 digits, starting at most with 8).
    static long NewPrefix() => RandomNumberGenerator.GetInt32(100_000, 900_000) * 10_000L + RandomNumberGenerator.GetInt32(0, 10_000);
}

namespace RedisPriorityTransport.Tests.Infrastructure;

/// <summary>
/// Renews one lease at a fixed interval in the background, as a slow consumer's lock renewal would, counting renewals
/// that held, renewals that failed (Redis unreachable) and the moment the lease was found lost.
/// </summary>
public sealed class LeaseKeeper : IAsyncDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;
    int _renewed;
    int _failed;
    int _lost;

    LeaseKeeper(RedisPriorityQueue queue, ReservedMessage message, TimeSpan lease, TimeSpan interval) =>
        _loop = Task.Run(() => RenewAsync(queue, message, lease, interval));

    /// <summary>Renewals that extended the lease.</summary>
    public int Renewed => Volatile.Read(ref _renewed);

    /// <summary>Renewals that failed with a Redis error.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>True once a renewal found the lease no longer held (it expired and the message went back or elsewhere).</summary>
    public bool Lost => Volatile.Read(ref _lost) > 0;

    /// <summary>Starts renewing <paramref name="message"/>'s lease to <paramref name="lease"/> every <paramref name="interval"/>.</summary>
    public static LeaseKeeper Start(RedisPriorityQueue queue, ReservedMessage message, TimeSpan lease, TimeSpan interval) =>
        new(queue, message, lease, interval);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(TimeSpan.FromSeconds(30));
        _stop.Dispose();
    }

    async Task RenewAsync(RedisPriorityQueue queue, ReservedMessage message, TimeSpan lease, TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (!Lost && await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    if (await queue.RenewLeaseAsync(message.Id, message.LeaseToken, lease))
                        Interlocked.Increment(ref _renewed);
                    else
                        Interlocked.Increment(ref _lost);
                }
                catch (Exception exception) when (FaultTolerantConnection.IsRedisFault(exception))
                {
                    Interlocked.Increment(ref _failed);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}

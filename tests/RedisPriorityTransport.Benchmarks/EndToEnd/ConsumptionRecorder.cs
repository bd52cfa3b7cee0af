using System.Diagnostics;

namespace RedisPriorityTransport.Benchmarks.EndToEnd;

/// <summary>One handler start, in the order handlers started.</summary>
/// <param name="Message">The message handled.</param>
/// <param name="StartedTimestamp"><see cref="Stopwatch.GetTimestamp"/> at handler start.</param>
/// <param name="HandedOutEarly">
/// True when the transport handed the message to the consumer before the workload allowed consuming (a prefetched
/// message held at the gate); order checks leave such messages out.
/// </param>
public readonly record struct HandlerStart(BenchMessage Message, long StartedTimestamp, bool HandedOutEarly);

/// <summary>
/// The handler every contender calls: records the start of each handler in order, does the message's work, and
/// completes when the expected number of messages has been handled. Thread-safe.
/// </summary>
public sealed class ConsumptionRecorder
{
    readonly HandlerStart[] _starts;
    readonly long[] _completions;
    readonly int _expected;
    readonly TaskCompletionSource _allHandled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _started;
    int _completed;
    long _watchedNumber = -1;
    readonly TaskCompletionSource<long> _watchedStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a recorder that completes after <paramref name="expected"/> handled messages.</summary>
    public ConsumptionRecorder(int expected)
    {
        _expected = expected;
        _starts = new HandlerStart[expected];
        _completions = new long[expected];
    }

    /// <summary>Completes when the expected number of messages has been handled.</summary>
    public Task AllHandled => _allHandled.Task;

    /// <summary>How many handlers have started so far.</summary>
    public int StartedCount => Math.Min(Volatile.Read(ref _started), _expected);

    /// <summary>The handler body: record, work, count.</summary>
    public async Task HandleAsync(BenchMessage message, bool handedOutEarly = false)
    {
        var now = Stopwatch.GetTimestamp();
        var position = Interlocked.Increment(ref _started) - 1;
        if (position < _starts.Length)
            _starts[position] = new HandlerStart(message, now, handedOutEarly);
        if (message.Number == Volatile.Read(ref _watchedNumber))
            _watchedStarted.TrySetResult(now);
        if (message.WorkMilliseconds > 0)
            await Task.Delay(message.WorkMilliseconds).ConfigureAwait(false);
        var done = Interlocked.Increment(ref _completed);
        if (done <= _completions.Length)
            _completions[done - 1] = Stopwatch.GetTimestamp();
        if (done == _expected)
            _allHandled.TrySetResult();
    }

    /// <summary>
    /// Watches for the handler start of message <paramref name="number"/> (one per recorder); the task gives its
    /// <see cref="Stopwatch.GetTimestamp"/>.
    /// </summary>
    public Task<long> WatchFor(long number)
    {
        Volatile.Write(ref _watchedNumber, number);
        return _watchedStarted.Task;
    }

    /// <summary>Waits for <see cref="AllHandled"/> at most <paramref name="timeout"/>; false on timeout.</summary>
    public async Task<bool> WaitAllHandledAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(AllHandled, Task.Delay(timeout)).ConfigureAwait(false);
        return finished == AllHandled;
    }

    /// <summary>Waits until at least <paramref name="count"/> handlers have started, at most <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitStartedAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (StartedCount < count)
        {
            if (clock.Elapsed > timeout)
                return false;
            await Task.Delay(1).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>The handler starts recorded so far, in start order.</summary>
    public HandlerStart[] Starts() => _starts.AsSpan(0, StartedCount).ToArray();

    /// <summary>Completion timestamps recorded so far, in completion order.</summary>
    public long[] Completions() => _completions.AsSpan(0, Math.Min(Volatile.Read(ref _completed), _expected)).ToArray();
}

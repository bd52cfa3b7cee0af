namespace RedisPriorityTransport.Tests.Infrastructure;

/// <summary>Waits on a condition with a timeout instead of sleeping a fixed time.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}.");
            await Task.Delay(20);
        }
    }

    /// <summary>Polls <paramref name="read"/> until it gives a value; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> read, TimeSpan timeout, string what)
        where T : struct
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await read() is { } value)
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}.");
            await Task.Delay(20);
        }
    }
}

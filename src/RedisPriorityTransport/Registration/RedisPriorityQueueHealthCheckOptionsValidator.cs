using Microsoft.Extensions.Options;

namespace RedisPriorityTransport;

/// <summary>Rejects health check settings that cannot work, naming the setting and its value.</summary>
internal sealed class RedisPriorityQueueHealthCheckOptionsValidator : IValidateOptions<RedisPriorityQueueHealthCheckOptions>
{
    static readonly TimeSpan MaxPingTimeout = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, RedisPriorityQueueHealthCheckOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Name))
            failures.Add($"{nameof(options.Name)} must not be empty (it is '{options.Name}').");
        if (options.Tags is null)
            failures.Add($"{nameof(options.Tags)} must not be null; use an empty set for no tags.");
        else if (options.Tags.Any(string.IsNullOrWhiteSpace))
            failures.Add($"{nameof(options.Tags)} must not contain an empty tag.");
        if (options.PingTimeout <= TimeSpan.Zero || options.PingTimeout > MaxPingTimeout)
            failures.Add($"{nameof(options.PingTimeout)} must be more than zero and at most {MaxPingTimeout.TotalSeconds:0} s (it is {options.PingTimeout}).");
        if (options.HighBandMaxWait is { } wait && wait <= TimeSpan.Zero)
            failures.Add($"{nameof(options.HighBandMaxWait)} must be more than zero, or null for no limit (it is {wait}).");
        if (!Enum.IsDefined(options.FailureStatus))
            failures.Add($"{nameof(options.FailureStatus)} {(int)options.FailureStatus} is not a HealthStatus.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

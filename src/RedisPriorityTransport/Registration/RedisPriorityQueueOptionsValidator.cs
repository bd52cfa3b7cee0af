using Microsoft.Extensions.Options;
using RedisPriorityTransport.Transport;

namespace RedisPriorityTransport;

/// <summary>
/// Rejects options of <c>AddRedisPriorityQueue</c> that cannot work, every one at once, naming the setting and its value.
/// The checks are the ones the transport applies itself, so the two cannot disagree.
/// </summary>
internal sealed class RedisPriorityQueueOptionsValidator : IValidateOptions<RedisPriorityQueueOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisPriorityQueueOptions options)
    {
        var failures = new List<string>();
        Check(failures, () => QueueNames.ValidateKeyPrefix(options.KeyPrefix, nameof(options.KeyPrefix)));
        Check(failures, () => _ = new EventTypeRanking(options.EventTypeRanking ?? []));
        Check(failures, () => PriorityQueueSettings.ValidateDuplicateDetectionWindow(options.DuplicateDetectionWindow));
        if (options.LockDuration <= RedisReceiveSettings.MinLockDuration)
            failures.Add($"{nameof(options.LockDuration)} must be longer than {RedisReceiveSettings.MinLockDuration.TotalMilliseconds} ms (it is {options.LockDuration}).");
        if (options.MaxDeliveryCount <= 0)
            failures.Add($"{nameof(options.MaxDeliveryCount)} must be positive (it is {options.MaxDeliveryCount}).");
        if (options.MaxMessageBytes <= 0)
            failures.Add($"{nameof(options.MaxMessageBytes)} must be positive (it is {options.MaxMessageBytes}).");
        if (options.ConcurrentMessageLimit is <= 0)
            failures.Add($"{nameof(options.ConcurrentMessageLimit)} must be positive, or null for MassTransit's default (it is {options.ConcurrentMessageLimit}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    static void Check(List<string> failures, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException exception)
        {
            failures.Add(exception.Message);
        }
    }
}

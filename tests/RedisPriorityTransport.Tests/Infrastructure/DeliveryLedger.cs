using System.Collections.Concurrent;

namespace RedisPriorityTransport.Tests.Infrastructure;

/// <summary>
/// Counts what a fault test published and consumed, by message id, thread-safely: published (confirmed by the
/// queue), deliveries, duplicates, lost, and the ids whose fate was in doubt (a publish or an acknowledgement that
/// failed because the connection went away). Usable for engine and transport traffic alike.
/// </summary>
public sealed class DeliveryLedger
{
    readonly ConcurrentDictionary<string, byte> _published = new();
    readonly ConcurrentDictionary<string, int> _deliveries = new();
    readonly ConcurrentDictionary<string, byte> _publishInDoubt = new();
    readonly ConcurrentDictionary<string, byte> _ackInDoubt = new();
    readonly ConcurrentDictionary<string, int> _errors = new();

    /// <summary>The queue confirmed the message (added, or a duplicate of an earlier attempt that had landed).</summary>
    public void Published(string id) => _published[id] = 0;

    /// <summary>A publish attempt failed with a connection error: it may or may not have landed.</summary>
    public void PublishInDoubt(string id) => _publishInDoubt[id] = 0;

    /// <summary>A consumer received the message.</summary>
    public void Delivered(string id) => _deliveries.AddOrUpdate(id, 1, (_, count) => count + 1);

    /// <summary>An acknowledgement failed or found its lease gone: the message may come again.</summary>
    public void AcknowledgementInDoubt(string id) => _ackInDoubt[id] = 0;

    /// <summary>Records an exception a loop caught and survived, by type.</summary>
    public void Error(Exception exception) => _errors.AddOrUpdate(exception.GetType().Name, 1, (_, count) => count + 1);

    /// <summary>Messages the queue confirmed.</summary>
    public int PublishedCount => _published.Count;

    /// <summary>Distinct confirmed messages received at least once.</summary>
    public int ConsumedCount => _published.Keys.Count(_deliveries.ContainsKey);

    /// <summary>Deliveries beyond the first of each message.</summary>
    public int DuplicateCount => _deliveries.Values.Sum(count => count - 1);

    /// <summary>Confirmed messages not received (yet).</summary>
    public int LostCount => _published.Keys.Count(id => !_deliveries.ContainsKey(id));

    /// <summary>Messages delivered more than once although neither their publish nor an acknowledgement was in doubt.</summary>
    public IReadOnlyList<string> UnexplainedDuplicates =>
        _deliveries.Where(pair => pair.Value > 1 && !_ackInDoubt.ContainsKey(pair.Key) && !_publishInDoubt.ContainsKey(pair.Key))
            .Select(pair => pair.Key).ToList();

    /// <summary>Messages received that were never confirmed (a publish in doubt that had landed), or never sent at all.</summary>
    public IReadOnlyList<string> UnconfirmedDeliveries => _deliveries.Keys.Where(id => !_published.ContainsKey(id)).ToList();

    /// <summary>Publishes and acknowledgements whose outcome was in doubt.</summary>
    public (int Publishes, int Acknowledgements) InDoubt => (_publishInDoubt.Count, _ackInDoubt.Count);

    /// <summary>Errors the loops survived, by exception type.</summary>
    public IReadOnlyDictionary<string, int> Errors => _errors;

    /// <summary>
    /// Fails unless every confirmed message was consumed and every duplicate is explained by a publish or an
    /// acknowledgement that was in doubt when the fault hit.
    /// </summary>
    public void AssertNothingLostAndDuplicatesExplained()
    {
        Assert.Equal(0, LostCount);
        Assert.Empty(UnexplainedDuplicates);
    }

    /// <summary>One line for the test output and docs/reliability.md.</summary>
    public override string ToString() =>
        $"published {PublishedCount}, consumed {ConsumedCount}, duplicated {DuplicateCount}, lost {LostCount}; " +
        $"in doubt: {InDoubt.Publishes} publishes, {InDoubt.Acknowledgements} acknowledgements; errors survived: " +
        (_errors.IsEmpty ? "none" : string.Join(", ", _errors.OrderBy(e => e.Key).Select(e => $"{e.Key} x{e.Value}")));
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace RedisPriorityTransport.Redis;

/// <summary>
/// Where the one standing <see cref="ReserveOffer"/> of a queue lives, shared by every instance of that queue on one
/// connection (a bus's send side and its receive endpoint open separate instances). At most one offer stands at a
/// time; other consumers of the queue in the process wait for the wake-up notification as before.
/// </summary>
internal sealed class ReserveOfferSlot
{
    static readonly ConditionalWeakTable<IConnectionMultiplexer, ConcurrentDictionary<string, ReserveOfferSlot>> Slots = new();

    ReserveOffer? _offer;

    /// <summary>The slot of the queue whose ready set is <paramref name="readyKey"/> on <paramref name="connection"/>.</summary>
    public static ReserveOfferSlot Of(IConnectionMultiplexer connection, string readyKey) =>
        Slots.GetValue(connection, static _ => new ConcurrentDictionary<string, ReserveOfferSlot>(StringComparer.Ordinal))
            .GetOrAdd(readyKey, static _ => new ReserveOfferSlot());

    /// <summary>Whether an offer stands.</summary>
    public bool Stands => Volatile.Read(ref _offer) is not null;

    /// <summary>Stands <paramref name="offer"/>; false when another offer stands.</summary>
    public bool TryOffer(ReserveOffer offer) => Interlocked.CompareExchange(ref _offer, offer, null) is null;

    /// <summary>Withdraws <paramref name="offer"/>; false when a sender has taken it (its result is on its way).</summary>
    public bool TryWithdraw(ReserveOffer offer) => Interlocked.CompareExchange(ref _offer, null, offer) == offer;

    /// <summary>Takes the standing offer, if any: one read while none stands.</summary>
    public ReserveOffer? TryTake() => Volatile.Read(ref _offer) is null ? null : Interlocked.Exchange(ref _offer, null);
}

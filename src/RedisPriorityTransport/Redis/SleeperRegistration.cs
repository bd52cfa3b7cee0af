namespace RedisPriorityTransport.Redis;

/// <summary>
/// What a receive loop tells its reserve call about itself, so that enqueues can leave out wake-ups it does not need
/// (see <c>includes/sleepers.lua</c>): if the reply has fewer messages than asked for, the loop waits at most
/// <see cref="BusyWaitMs"/> while messages run (it has some running or the reply brings some), otherwise at most
/// <see cref="IdleWaitMs"/> for a wake-up, before it reserves again.
/// </summary>
/// <param name="LoopId">The loop's own id, unique per loop.</param>
/// <param name="Running">Messages running in the loop when the call is sent.</param>
/// <param name="BusyWaitMs">The longest wait after a short reply while messages run.</param>
/// <param name="IdleWaitMs">The longest wait after an empty reply with nothing running.</param>
internal readonly record struct SleeperRegistration(string LoopId, int Running, long BusyWaitMs, long IdleWaitMs);

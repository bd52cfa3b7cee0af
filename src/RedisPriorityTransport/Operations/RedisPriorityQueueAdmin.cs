using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using RedisPriorityTransport.Monitoring;
using RedisPriorityTransport.Redis;
using StackExchange.Redis;

namespace RedisPriorityTransport;

/// <summary>
/// <see cref="IPriorityQueueAdmin"/> on Redis: each read is one script (or one command) per queue, each change one
/// script that also writes the audit entry. Validation happens before anything is sent.
/// </summary>
internal sealed partial class RedisPriorityQueueAdmin(Func<Task<AdminTarget>> target, PriorityQueueAdminOptions options) : IPriorityQueueAdmin
{
    const int MaxPageSize = 1000;
    const string WaitingStates = "waiting (ready or delayed)";

    readonly ConcurrentDictionary<string, (long? Bytes, DateTime SampledAt)> _memory = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<QueueSummary>> GetQueuesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var redis = await target().ConfigureAwait(false);
        var database = redis.Connection.GetDatabase();
        var names = (await database.SetMembersAsync(QueueRegistry.KeyOf(redis.KeyPrefix)).ConfigureAwait(false))
            .Select(name => (string)name!)
            .Where(IsListableName)
            .Order(StringComparer.Ordinal)
            .ToArray();
        // Issued together: StackExchange.Redis pipelines them on one connection, one round trip for all queues.
        var summaries = names.Select(name => SummarizeAsync(redis, name)).ToArray();
        return await Task.WhenAll(summaries).ConfigureAwait(false);
    }

    public async Task<QueueSummary> GetQueueAsync(string queueName, CancellationToken cancellationToken = default)
    {
        ValidateQueueName(queueName);
        cancellationToken.ThrowIfCancellationRequested();
        var redis = await target().ConfigureAwait(false);
        var database = redis.Connection.GetDatabase();
        var result = (RedisResult[])(await database.RunAsync(AdminScripts.Summary, redis.KeyPrefix, queueName, [0]).ConfigureAwait(false))!;
        if (!AdminResults.SummaryFoundQueue(result)
            && !await database.SetContainsAsync(QueueRegistry.KeyOf(redis.KeyPrefix), queueName).ConfigureAwait(false))
            throw new QueueNotFoundException(queueName);
        return AdminResults.Summary(queueName, result, await SampleMemoryAsync(redis, queueName).ConfigureAwait(false));
    }

    async Task<QueueSummary> SummarizeAsync(AdminTarget redis, string queueName)
    {
        var database = redis.Connection.GetDatabase();
        var summary = database.RunAsync(AdminScripts.Summary, redis.KeyPrefix, queueName, [0]);
        var memory = SampleMemoryAsync(redis, queueName);
        return AdminResults.Summary(queueName, (RedisResult[])(await summary.ConfigureAwait(false))!, await memory.ConfigureAwait(false));
    }

    /// <summary>
    /// <c>MEMORY USAGE … SAMPLES n</c> over the queue's keys, reused for <see cref="PriorityQueueAdminOptions.MemoryCacheDuration"/>:
    /// a handful of O(samples) commands per queue and interval, never a walk over the messages.
    /// </summary>
    async Task<long?> SampleMemoryAsync(AdminTarget redis, string queueName)
    {
        if (options.MemorySamples == 0)
            return null;
        if (_memory.TryGetValue(queueName, out var cached) && DateTime.UtcNow - cached.SampledAt < options.MemoryCacheDuration)
            return cached.Bytes;
        var database = redis.Connection.GetDatabase();
        try
        {
            var usages = await Task.WhenAll(AdminScripts.DataKeysOf(redis.KeyPrefix, queueName)
                .Select(key => database.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", options.MemorySamples))).ConfigureAwait(false);
            long? bytes = usages.Sum(usage => usage.IsNull ? 0L : (long)usage);
            _memory[queueName] = (bytes, DateTime.UtcNow);
            return bytes;
        }
        catch (RedisServerException)
        {
            // MEMORY refused (an ACL without it, or a managed Redis): the estimate is simply missing.
            _memory[queueName] = (null, DateTime.UtcNow);
            return null;
        }
    }

    public async Task<MessagePage> BrowseAsync(string queueName, MessageState state, MessageFilter? filter = null, string? cursor = null,
        int pageSize = 50, CancellationToken cancellationToken = default)
    {
        ValidateQueueName(queueName);
        var stateName = AdminResults.StateName(state);
        ValidatePageSize(pageSize, nameof(pageSize));
        filter ??= new MessageFilter();
        var minUrgency = (int)UrgencyScale.Validate((int)(filter.MinUrgency ?? Urgency.Lowest));
        var maxUrgency = (int)UrgencyScale.Validate((int)(filter.MaxUrgency ?? Urgency.Critical));
        if (minUrgency > maxUrgency)
            throw new ArgumentException($"The filter's MinUrgency ({minUrgency}) is above its MaxUrgency ({maxUrgency}).", nameof(filter));
        if (filter.MessageId is not null)
            QueueNames.ValidateMessageId(filter.MessageId, nameof(filter));
        if (filter.EventType is not null)
            EventTypeRanking.ValidateName(filter.EventType, nameof(filter));
        var (cursorScore, cursorId) = cursor is null ? ("", "") : BrowseCursor.Decode(cursor, state, nameof(cursor));
        cancellationToken.ThrowIfCancellationRequested();

        var redis = await EnsureQueueAsync(queueName).ConfigureAwait(false);
        // Sets scored by priority are read in a score window for an urgency range; sets scored by time are not.
        var byPriority = state is MessageState.Ready or MessageState.Error or MessageState.Skipped;
        var minScore = byPriority ? ScoreOfUrgency(maxUrgency) : "-inf";
        var stopScore = byPriority ? ScoreOfUrgency(minUrgency - 1) : "+inf";
        var result = (RedisResult[])(await redis.Connection.GetDatabase().RunAsync(AdminScripts.Browse, redis.KeyPrefix, queueName,
        [
            stateName, cursorScore, cursorId, pageSize, Math.Max(pageSize, options.BrowseScanLimit), minScore, stopScore, minUrgency, maxUrgency,
            filter.EventType ?? "", filter.MessageType?.ToLowerInvariant() ?? "", filter.MessageId ?? "",
        ]).ConfigureAwait(false))!;

        var now = (long)result[0];
        var messages = new List<MessageSummary>((result.Length - 3) / 8);
        for (var i = 3; i + 7 < result.Length; i += 8)
            messages.Add(AdminResults.BrowsedMessage(queueName, state, result, i, now, redis.ReasonHeader));
        var nextScore = (string?)result[1];
        return new MessagePage(messages, string.IsNullOrEmpty(nextScore) ? null : BrowseCursor.Encode(state, nextScore, (string)result[2]!));
    }

    // The lowest score of an urgency's class: (10 - urgency) * 2^49 (docs/wire-format.md); urgency -1 gives the end of urgency 0.
    static string ScoreOfUrgency(int urgency) => ((10L - urgency) * (1L << 49)).ToString(CultureInfo.InvariantCulture);

    public async Task<MessageDetails> GetMessageAsync(string queueName, string messageId, CancellationToken cancellationToken = default)
    {
        ValidateQueueName(queueName);
        QueueNames.ValidateMessageId(messageId, nameof(messageId));
        cancellationToken.ThrowIfCancellationRequested();
        var redis = await EnsureQueueAsync(queueName).ConfigureAwait(false);
        var result = (RedisResult[])(await redis.Connection.GetDatabase()
            .RunAsync(AdminScripts.Message, redis.KeyPrefix, queueName, [messageId]).ConfigureAwait(false))!;
        if ((string)result[0]! == "none")
            throw new MessageNotFoundException(queueName, messageId, "anywhere in the queue", null);
        return AdminResults.Details(queueName, messageId, result, redis.ReasonHeader);
    }

    public async Task<AuditEntry> ChangePriorityAsync(string queueName, string messageId, Urgency urgency, string user, string reason,
        CancellationToken cancellationToken = default)
    {
        ValidateQueueName(queueName);
        QueueNames.ValidateMessageId(messageId, nameof(messageId));
        UrgencyScale.Validate((int)urgency);
        ValidateUser(user);
        ValidateRequiredReason(reason);
        cancellationToken.ThrowIfCancellationRequested();
        var redis = await EnsureQueueAsync(queueName).ConfigureAwait(false);
        var result = await MutateAsync(redis, AdminScripts.ChangePriority, queueName, user, reason, [messageId, (int)urgency]).ConfigureAwait(false);
        if ((long)result[0] == 0)
            throw NotWaiting(queueName, messageId, (string)result[1]!);
        TransportMetrics.AdminAction(queueName, AuditAction.ChangePriority);
        return new AuditEntry
        {
            Id = (string)result[2]!,
            Time = AdminResults.TimeOfEntry((string)result[2]!),
            QueueName = queueName,
            MessageId = messageId,
            Action = AuditAction.ChangePriority,
            FromUrgency = (Urgency)(int)(long)result[1],
            ToUrgency = urgency,
            User = user,
            Reason = reason,
        };
    }

    public async Task<AuditEntry> CancelAsync(string queueName, string messageId, string user, string reason, CancellationToken cancellationToken = default)
    {
        ValidateQueueName(queueName);
        QueueNames.ValidateMessageId(messageId, nameof(messageId));
        ValidateUser(user);
        ValidateRequiredReason(reason);
        cancellationToken.ThrowIfCancellationRequested();
        var redis = await EnsureQueueAsync(queueName).ConfigureAwait(false);
        var result = await MutateAsync(redis, AdminScripts.Cancel, queueName, user, reason, [messageId]).ConfigureAwait(false);
        if ((long)result[0] == 0)
            throw NotWaiting(queueName, messageId, (string)result[1]!);
        TransportMetrics.AdminAction(queueName, AuditAction.Cancel);
        var details = new Dictionary<string, string> { ["eventType"] = (string?)result[4] ?? "", ["messageType"] = (string?)result[5] ?? "" };
        return new AuditEntry
        {
            Id = (string)result[2]!,
            Time = AdminResults.TimeOfEntry((string)result[2]!),
            QueueName = queueName,
            MessageId = messageId,
            Action = AuditAction.Cancel,
            FromUrgency = (Urgency)(int)(long)result[1],
            User = user,
            Reason = reason,
            Details = details,
        };
    }

    public async Task<int> RedriveAsync(string queueName, DeadLetterQueue source, IReadOnlyCollection<string> messageIds, string user, string? reason = null,
        CancellationToken cancellationToken = default)
    {
        ValidateQueueName(queueName);
        var sourceName = SourceName(source);
        ArgumentNullException.ThrowIfNull(messageIds);
        var ids = messageIds.Select((id, i) => QueueNames.ValidateMessageId(id, $"{nameof(messageIds)}[{i}]")).Distinct(StringComparer.Ordinal).ToArray();
        ValidateUser(user);
        cancellationToken.ThrowIfCancellationRequested();
        if (ids.Length == 0)
            return 0;
        var redis = await EnsureQueueAsync(queueName).ConfigureAwait(false);
        var moved = 0;
        foreach (var chunk in ids.Chunk(options.BatchSize))
        {
            RedisValue[] values = [sourceName, AdminScripts.WakeChannelOf(redis.KeyPrefix, queueName), "ids", 0, .. chunk.Select(id => (RedisValue)id)];
            var result = await MutateAsync(redis, AdminScripts.Redrive, queueName, user, reason ?? "", values).ConfigureAwait(false);
            moved += (int)(long)result[0];
        }

        if (moved > 0)
            TransportMetrics.AdminAction(queueName, AuditAction.Redrive);
        return moved;
    }

    public async Task<long> RedriveAllAsync(string queueName, DeadLetterQueue source, string user, string? reason = null,
        CancellationToken cancellationToken = default)
    {
        ValidateQueueName(queueName);
        var sourceName = SourceName(source);
        ValidateUser(user);
        cancellationToken.ThrowIfCancellationRequested();
        var redis = await EnsureQueueAsync(queueName).ConfigureAwait(false);
        long moved = 0;
        long? present = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = present is { } total ? (int)Math.Min(options.BatchSize, total - moved) : options.BatchSize;
            if (batch <= 0)
                break;
            var result = await MutateAsync(redis, AdminScripts.Redrive, queueName, user, reason ?? "",
                [sourceName, AdminScripts.WakeChannelOf(redis.KeyPrefix, queueName), "all", batch]).ConfigureAwait(false);
            var count = (long)result[0];
            // "All" means those there when the redrive began: messages that fail again meanwhile are not moved round and round.
            present ??= count + (long)result[1];
            moved += count;
            // Done when the source is empty, or when what is left cannot move (its id is queued again).
            if (count == 0 || (long)result[1] == 0)
                break;
        }

        if (moved > 0)
            TransportMetrics.AdminAction(queueName, AuditAction.Redrive);
        return moved;
    }

    public async Task<long> PurgeAsync(string queueName, MessageState state, string user, string? reason = null, CancellationToken cancellationToken = default)
    {
        ValidateQueueName(queueName);
        var stateName = AdminResults.StateName(state);
        if (state == MessageState.InFlight)
            throw new ArgumentException(
                $"In-flight messages of queue '{queueName}' cannot be purged: consumers hold them under leases. Pause the queue and let them finish, then purge.",
                nameof(state));
        ValidateUser(user);
        cancellationToken.ThrowIfCancellationRequested();
        var redis = await EnsureQueueAsync(queueName).ConfigureAwait(false);
        long deleted = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = await MutateAsync(redis, AdminScripts.Purge, queueName, user, reason ?? "", [stateName, options.BatchSize * 10]).ConfigureAwait(false);
            deleted += (long)result[0];
            if ((long)result[0] == 0 || (long)result[1] == 0)
                break;
        }

        TransportMetrics.AdminAction(queueName, AuditAction.Purge);
        return deleted;
    }

    public Task PauseAsync(string queueName, string user, string? reason = null, CancellationToken cancellationToken = default) =>
        ControlAsync(queueName, AuditAction.Pause, 0, 0, user, reason, cancellationToken);

    public Task ResumeAsync(string queueName, string user, string? reason = null, CancellationToken cancellationToken = default) =>
        ControlAsync(queueName, AuditAction.Resume, 0, 0, user, reason, cancellationToken);

    public Task SetRateLimitAsync(string queueName, RateLimit? limit, string user, string? reason = null, CancellationToken cancellationToken = default) =>
        ControlAsync(queueName, AuditAction.SetRateLimit, limit?.Messages ?? 0, limit is null ? 0 : (long)Math.Ceiling(limit.Interval.TotalMilliseconds), user, reason,
            cancellationToken);

    async Task ControlAsync(string queueName, AuditAction action, int messages, long intervalMs, string user, string? reason, CancellationToken cancellationToken)
    {
        ValidateQueueName(queueName);
        ValidateUser(user);
        cancellationToken.ThrowIfCancellationRequested();
        var redis = await EnsureQueueAsync(queueName).ConfigureAwait(false);
        var scriptAction = action switch
        {
            AuditAction.Pause => "pause",
            AuditAction.Resume => "resume",
            _ => "ratelimit",
        };
        await MutateAsync(redis, AdminScripts.Control, queueName, user, reason ?? "",
            [scriptAction, AdminScripts.WakeChannelOf(redis.KeyPrefix, queueName), messages, intervalMs]).ConfigureAwait(false);
        TransportMetrics.AdminAction(queueName, action);
    }

    public async Task<AuditPage> GetHistoryAsync(string queueName, AuditQuery? query = null, CancellationToken cancellationToken = default)
    {
        ValidateQueueName(queueName);
        query ??= new AuditQuery();
        ValidatePageSize(query.PageSize, nameof(query));
        if (query.From > query.To)
            throw new ArgumentException($"The query's From ({query.From:O}) is after its To ({query.To:O}).", nameof(query));
        if (query.Cursor is { } cursor && !StreamId().IsMatch(cursor))
            throw new ArgumentException($"Cursor '{cursor}' is not a history cursor; pass the NextCursor of a previous page.", nameof(query));
        if (query.Action is { } action && !Enum.IsDefined(action))
            throw new ArgumentOutOfRangeException(nameof(query), action, "Unknown audit action.");
        cancellationToken.ThrowIfCancellationRequested();
        var redis = await EnsureQueueAsync(queueName).ConfigureAwait(false);
        var newest = query.Cursor is { } after ? "(" + after : query.To is { } to ? to.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : "+";
        var oldest = query.From is { } from ? from.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : "-";
        var (entries, next) = await ReadHistoryAsync(redis, queueName, newest, oldest, query.PageSize, Math.Max(query.PageSize, options.BrowseScanLimit),
            query.User ?? "", query.Action?.ToString() ?? "", "").ConfigureAwait(false);
        return new AuditPage(entries, next);
    }

    public async Task<IReadOnlyList<AuditEntry>> GetMessageHistoryAsync(string queueName, string messageId, CancellationToken cancellationToken = default)
    {
        ValidateQueueName(queueName);
        QueueNames.ValidateMessageId(messageId, nameof(messageId));
        cancellationToken.ThrowIfCancellationRequested();
        var redis = await EnsureQueueAsync(queueName).ConfigureAwait(false);
        // Read through the audit index: the page size and scan limit do not apply.
        var (entries, _) = await ReadHistoryAsync(redis, queueName, "+", "-", 1, 1, "", "", messageId).ConfigureAwait(false);
        return entries.AsEnumerable().Reverse().ToArray();
    }

    async Task<(List<AuditEntry> Entries, string? Next)> ReadHistoryAsync(AdminTarget redis, string queueName, string newest, string oldest, int pageSize,
        int scanLimit, string user, string action, string messageId)
    {
        var result = (RedisResult[])(await redis.Connection.GetDatabase().RunAsync(AdminScripts.History, redis.KeyPrefix, queueName,
            [newest, oldest, pageSize, scanLimit, user, action, messageId]).ConfigureAwait(false))!;
        var entries = new List<AuditEntry>((result.Length - 1) / 2);
        for (var i = 1; i + 1 < result.Length; i += 2)
            entries.Add(AdminResults.AuditEntry((string)result[i]!, (RedisResult[])result[i + 1]!));
        var next = (string?)result[0];
        return (entries, string.IsNullOrEmpty(next) ? null : next);
    }

    /// <summary>Runs a change script with the arguments every change shares (queue, user, reason, audit caps) before its own.</summary>
    async Task<RedisResult[]> MutateAsync(AdminTarget redis, Redis.EmbeddedScript script, string queueName, string user, string reason, RedisValue[] own)
    {
        var maxAge = (long)options.AuditMaxAge.TotalMilliseconds;
        RedisValue[] values = [queueName, user, reason, options.AuditMaxLength, maxAge, .. own];
        return (RedisResult[])(await redis.Connection.GetDatabase().RunAsync(script, redis.KeyPrefix, queueName, values)
            .ConfigureAwait(false))!;
    }

    /// <summary>
    /// The target, after checking that the queue exists: listed in the registry, or any of its keys present (a queue
    /// from before the registry, or one whose listing was lost, is listed again). One SISMEMBER round trip, asked every
    /// time: a queue deleted meanwhile must not be brought back by a change.
    /// </summary>
    async Task<AdminTarget> EnsureQueueAsync(string queueName)
    {
        var redis = await target().ConfigureAwait(false);
        var database = redis.Connection.GetDatabase();
        var registry = QueueRegistry.KeyOf(redis.KeyPrefix);
        if (!await database.SetContainsAsync(registry, queueName).ConfigureAwait(false))
        {
            var keys = AdminScripts.ExistenceKeysOf(redis.KeyPrefix, queueName);
            if (await database.KeyExistsAsync(keys).ConfigureAwait(false) == 0)
                throw new QueueNotFoundException(queueName);
            await database.SetAddAsync(registry, queueName).ConfigureAwait(false);
        }

        return redis;
    }

    static MessageNotFoundException NotWaiting(string queueName, string messageId, string state) =>
        state == "unreadable"
            ? throw new InvalidOperationException($"Message '{messageId}' of queue '{queueName}' is waiting, but its stored record is unreadable; cancel it instead.")
            : new MessageNotFoundException(queueName, messageId, WaitingStates, AdminResults.StateOf(state));

    static string SourceName(DeadLetterQueue source) => source switch
    {
        DeadLetterQueue.Error => "error",
        DeadLetterQueue.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown dead-letter queue."),
    };

    static void ValidateQueueName(string queueName)
    {
        QueueNames.ValidateQueueName(queueName, nameof(queueName));
        if (!IsListableName(queueName))
            throw new ArgumentException(
                $"'{queueName}' is an error or skipped queue; address it through its queue '{QueueRegistry.ListedNameOf(queueName)}' with MessageState.Error or MessageState.Skipped.",
                nameof(queueName));
    }

    static bool IsListableName(string queueName) => QueueRegistry.ListedNameOf(queueName) == queueName;

    static void ValidateUser(string user)
    {
        if (string.IsNullOrWhiteSpace(user))
            throw new ArgumentException("The acting user is required (it is written to the audit history).", nameof(user));
    }

    static void ValidateRequiredReason(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("A reason is required for this action (it is written to the audit history).", nameof(reason));
    }

    static void ValidatePageSize(int pageSize, string parameterName)
    {
        if (pageSize is < 1 or > MaxPageSize)
            throw new ArgumentOutOfRangeException(parameterName, pageSize, $"The page size must be 1..{MaxPageSize}.");
    }

    [GeneratedRegex(@"^\d+-\d+$")]
    private static partial Regex StreamId();
}

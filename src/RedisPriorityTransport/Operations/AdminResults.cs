using System.Globalization;
using RedisPriorityTransport.Redis;
using StackExchange.Redis;

namespace RedisPriorityTransport;

/// <summary>Turns what the admin scripts return into the public records.</summary>
internal static class AdminResults
{
    static readonly UrgencyBand[] BandsHighFirst = [UrgencyBand.High, UrgencyBand.Normal, UrgencyBand.Low];

    public static string StateName(MessageState state) => state switch
    {
        MessageState.Ready => "ready",
        MessageState.Delayed => "delayed",
        MessageState.InFlight => "inflight",
        MessageState.Error => "error",
        MessageState.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown message state."),
    };

    /// <summary>The state a script named, or null for 'none' (not in the queue).</summary>
    public static MessageState? StateOf(string name) => name switch
    {
        "ready" => MessageState.Ready,
        "delayed" => MessageState.Delayed,
        "inflight" => MessageState.InFlight,
        "error" => MessageState.Error,
        "skipped" => MessageState.Skipped,
        _ => null,
    };

    /// <summary>Reads the admin_summary result.</summary>
    public static QueueSummary Summary(string queueName, RedisResult[] result, long? memoryBytes)
    {
        var now = (long)result[0];
        var byUrgency = new Dictionary<Urgency, long>();
        for (var i = 0; i < UrgencyScale.Count; i++)
            byUrgency[(Urgency)(UrgencyScale.Max - i)] = (long)result[5 + i];
        var byBand = Enum.GetValues<UrgencyBand>().ToDictionary(band => band,
            band => byUrgency.Where(pair => UrgencyScale.BandOf(pair.Key) == band).Sum(pair => pair.Value));
        var ages = new Dictionary<UrgencyBand, TimeSpan?>();
        for (var i = 0; i < BandsHighFirst.Length; i++)
        {
            var oldest = (long)result[5 + UrgencyScale.Count + i];
            ages[BandsHighFirst[i]] = oldest < 0 ? null : TimeSpan.FromMilliseconds(Math.Max(0, now - oldest));
        }

        var next = 5 + UrgencyScale.Count + BandsHighFirst.Length;
        return new QueueSummary
        {
            Name = queueName,
            Ready = byUrgency.Values.Sum(),
            ReadyByUrgency = byUrgency,
            ReadyByBand = byBand,
            OldestReadyAgeByBand = ages,
            InFlight = (long)result[1],
            Delayed = (long)result[2],
            Error = (long)result[3],
            Skipped = (long)result[4],
            IsPaused = (long)result[next] == 1,
            RateLimit = ParseRateLimit((string?)result[next + 1]),
            MemoryBytes = memoryBytes,
        };
    }

    /// <summary>True when the summary says some key of the queue exists.</summary>
    public static bool SummaryFoundQueue(RedisResult[] result) => (long)result[^1] == 1;

    static RateLimit? ParseRateLimit(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        var parts = text.Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var messages)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && messages > 0 && ms > 0
            ? new RateLimit(messages, TimeSpan.FromMilliseconds(ms))
            : null;
    }

    /// <summary>One message of a browse page: id, score, urgency, enqueue ms, event type, packed headers, deliveries, types.</summary>
    public static MessageSummary BrowsedMessage(string queueName, MessageState state, RedisResult[] result, int at, long now, string reasonHeader)
    {
        var headers = DecodeHeaders((byte[]?)result[at + 5]);
        return Summary(queueName, state, id: (string)result[at]!, score: (string)result[at + 1]!, urgency: (int)(long)result[at + 2],
            enqueuedMs: (long)result[at + 3], eventType: (string?)result[at + 4], headers, deliveries: (int)(long)result[at + 6],
            types: (string?)result[at + 7], now, reasonHeader);
    }

    /// <summary>The admin_message result: state, now, score, record, delivery count, message types.</summary>
    public static MessageDetails Details(string queueName, string messageId, RedisResult[] result, string reasonHeader)
    {
        var state = StateOf((string)result[0]!)!.Value;
        var now = (long)result[1];
        var score = (string)result[2]!;
        var record = (byte[])result[3]!;
        var deliveries = (int)(long)result[4];
        var types = (string?)result[5];
        if (!MessageRecord.TryParse(record, out var message, out _))
        {
            // Damaged or foreign data: shown as it is, so an operator can see and remove it.
            return Details(Summary(queueName, state, messageId, score, 0, 0, null, new Dictionary<string, string>(), deliveries, types, now, reasonHeader),
                new Dictionary<string, string>(), record);
        }

        var summary = Summary(queueName, state, messageId, score, (int)message.Urgency, message.EnqueuedMs, message.EventType, message.Headers, deliveries,
            types, now, reasonHeader);
        return Details(summary, message.Headers, message.Body.ToArray());
    }

    static MessageDetails Details(MessageSummary summary, IReadOnlyDictionary<string, string> headers, byte[] body) => new()
    {
        QueueName = summary.QueueName,
        MessageId = summary.MessageId,
        State = summary.State,
        Urgency = summary.Urgency,
        EventType = summary.EventType,
        MessageTypes = summary.MessageTypes,
        DeliveryCount = summary.DeliveryCount,
        EnqueuedAt = summary.EnqueuedAt,
        Age = summary.Age,
        DueAt = summary.DueAt,
        LeaseExpiresAt = summary.LeaseExpiresAt,
        FaultReason = summary.FaultReason,
        Headers = headers,
        Body = body,
    };

    static MessageSummary Summary(string queueName, MessageState state, string id, string score, int urgency, long enqueuedMs, string? eventType,
        IReadOnlyDictionary<string, string> headers, int deliveries, string? types, long now, string reasonHeader)
    {
        var scoreMs = double.Parse(score, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new MessageSummary
        {
            QueueName = queueName,
            MessageId = id,
            State = state,
            Urgency = UrgencyScale.IsValid(urgency) ? (Urgency)urgency : Urgency.Lowest,
            EventType = string.IsNullOrEmpty(eventType) ? null : eventType,
            MessageTypes = string.IsNullOrEmpty(types) ? [] : types.Split(';', StringSplitOptions.RemoveEmptyEntries),
            DeliveryCount = deliveries,
            EnqueuedAt = DateTimeOffset.FromUnixTimeMilliseconds(enqueuedMs),
            Age = TimeSpan.FromMilliseconds(Math.Max(0, now - enqueuedMs)),
            DueAt = state == MessageState.Delayed ? DateTimeOffset.FromUnixTimeMilliseconds((long)scoreMs) : null,
            LeaseExpiresAt = state == MessageState.InFlight ? DateTimeOffset.FromUnixTimeMilliseconds((long)scoreMs) : null,
            FaultReason = state is MessageState.Error or MessageState.Skipped
                ? headers.TryGetValue(reasonHeader, out var reason) ? reason : headers.GetValueOrDefault("MT-Reason")
                : null,
        };
    }

    static IReadOnlyDictionary<string, string> DecodeHeaders(byte[]? packed)
    {
        if (packed is null || packed.Length == 0)
            return new Dictionary<string, string>();
        try
        {
            return HeaderCodec.Decode(packed);
        }
        catch (FormatException)
        {
            return new Dictionary<string, string>();
        }
    }

    /// <summary>One entry of the audit stream: its id and its fields as a flat list of names and values.</summary>
    public static AuditEntry AuditEntry(string id, RedisResult[] fields)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < fields.Length; i += 2)
            values[(string)fields[i]!] = (string?)fields[i + 1] ?? "";
        string Take(string name) => values.Remove(name, out var value) ? value : "";
        Take("time");
        var queue = Take("queue");
        var action = Enum.TryParse<AuditAction>(Take("action"), out var parsed) ? parsed : (AuditAction)(-1);
        var user = Take("user");
        var reason = Take("reason");
        var message = Take("message");
        var from = ParseUrgency(Take("from"));
        var to = ParseUrgency(Take("to"));
        values.Remove("fromBand");
        values.Remove("toBand");
        return new AuditEntry
        {
            Id = id,
            Time = TimeOfEntry(id),
            QueueName = queue,
            MessageId = message.Length == 0 ? null : message,
            Action = action,
            FromUrgency = from,
            ToUrgency = to,
            User = user,
            Reason = reason,
            Details = values,
        };
    }

    /// <summary>
    /// The time of an audit entry: the milliseconds of its stream id, which Redis takes from its clock when it adds the
    /// entry (within a millisecond of the entry's <c>time</c> field), so a time range read by id and the times shown agree.
    /// </summary>
    public static DateTimeOffset TimeOfEntry(string id) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(id.AsSpan(0, id.IndexOf('-')), NumberStyles.None, CultureInfo.InvariantCulture));

    static Urgency? ParseUrgency(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && UrgencyScale.IsValid(value) ? (Urgency)value : null;
}

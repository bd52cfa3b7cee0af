using System.Globalization;

namespace RedisPriorityTransport.Dashboard.Rendering;

/// <summary>How numbers, ages and sizes read on the pages.</summary>
internal static class Format
{
    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Age(TimeSpan? age)
    {
        if (age is not { } a)
            return "–";
        if (a < TimeSpan.Zero)
            a = TimeSpan.Zero;
        return a.TotalSeconds switch
        {
            < 1 => $"{a.TotalMilliseconds:0} ms",
            < 60 => $"{a.TotalSeconds:0.#} s",
            < 3600 => $"{(int)a.TotalMinutes} min {a.Seconds} s",
            < 86400 => $"{(int)a.TotalHours} h {a.Minutes} min",
            _ => $"{(int)a.TotalDays} d {a.Hours} h",
        };
    }

    public static string Bytes(long? bytes) => bytes switch
    {
        null => "–",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes.Value / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes.Value / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes.Value / (1024.0 * 1024 * 1024)).ToString("0.##", CultureInfo.InvariantCulture) + " GiB",
    };

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture) : "–";

    /// <summary>A change per minute with its direction: ↑ growing, ↓ draining.</summary>
    public static string Rate(double perMinute)
    {
        var size = Math.Abs(perMinute);
        var figure = size.ToString(size < 10 ? "0.#" : "#,0", CultureInfo.InvariantCulture);
        return figure == "0" ? "steady" : (perMinute > 0 ? "↑ " : "↓ ") + figure + "/min";
    }

    public static string State(MessageState state) => state switch
    {
        MessageState.Ready => "ready",
        MessageState.Delayed => "delayed",
        MessageState.InFlight => "in flight",
        MessageState.Error => "error",
        MessageState.Skipped => "skipped",
        _ => state.ToString(),
    };

    public static string StateSlug(MessageState state) => state switch
    {
        MessageState.InFlight => "in-flight",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static bool TryParseState(string? slug, out MessageState state)
    {
        foreach (var candidate in Enum.GetValues<MessageState>())
        {
            if (string.Equals(StateSlug(candidate), slug, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = MessageState.Ready;
        return false;
    }

    public static string Band(UrgencyBand band) => band.ToString().ToLowerInvariant();

    /// <summary>The short name of a MassTransit message type URN (<c>urn:message:Ns:Type</c> → <c>Type</c>).</summary>
    public static string ShortType(string urn)
    {
        var colon = urn.LastIndexOf(':');
        return colon >= 0 && colon < urn.Length - 1 ? urn[(colon + 1)..] : urn;
    }

    public static string Action(AuditAction action) => action switch
    {
        AuditAction.ChangePriority => "priority change",
        AuditAction.Cancel => "cancel",
        AuditAction.Redrive => "retry",
        AuditAction.Purge => "purge",
        AuditAction.Pause => "pause",
        AuditAction.Resume => "resume",
        AuditAction.SetRateLimit => "rate limit",
        _ => action.ToString(),
    };

    public static string RateLimit(RateLimit? limit) =>
        limit is null ? "none" : $"{limit.Messages} per {Age(limit.Interval)}";
}

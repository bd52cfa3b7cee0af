namespace RedisPriorityTransport;

/// <summary>Which part of a queue's history to read; every property left null matches everything.</summary>
public sealed record AuditQuery
{
    /// <summary>Entries at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Entries at or before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only this user's entries (exact).</summary>
    public string? User { get; init; }

    /// <summary>Only this action.</summary>
    public AuditAction? Action { get; init; }

    /// <summary>Continue after this cursor (from <see cref="AuditPage.NextCursor"/>).</summary>
    public string? Cursor { get; init; }

    /// <summary>Entries per page, 1..1000.</summary>
    public int PageSize { get; init; } = 50;
}

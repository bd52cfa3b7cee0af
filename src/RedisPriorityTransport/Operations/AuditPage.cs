namespace RedisPriorityTransport;

/// <summary>One page of a queue's history, newest first.</summary>
/// <param name="Entries">The entries of this page.</param>
/// <param name="NextCursor">Pass as <see cref="AuditQuery.Cursor"/> for older entries; null on the last page.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, string? NextCursor);

namespace RedisPriorityTransport.Dashboard.Rendering;

/// <summary>
/// The confirmations shown after an action. The redirect names one by a code, so a link cannot put text of its own
/// choosing on the page.
/// </summary>
internal static class Notices
{
    public static string? Text(string code) => code switch
    {
        "priority" => "Priority changed; the audit has the entry.",
        "cancelled" => "Message cancelled.",
        "retried" => "Messages moved back to the queue.",
        "retried-none" => "No message was moved: none of those was still there.",
        "purged" => "State purged.",
        "paused" => "Queue paused: consumers stop reserving within about a second.",
        "resumed" => "Queue resumed.",
        "rate-limit" => "Rate limit saved.",
        "rate-limit-removed" => "Rate limit removed.",
        "role-saved" => "Role saved.",
        "role-removed" => "Role assignment removed.",
        "role-unchanged" => "The user already had that role; nothing was changed or audited.",
        _ => null,
    };
}

namespace RedisPriorityTransport;

/// <summary>The users' named priority actions on <see cref="IPriorityQueueAdmin"/>.</summary>
public static class PriorityQueueAdminExtensions
{
    /// <summary>Moves a waiting message to urgency 8 (<see cref="Urgency.Prioritize"/>).</summary>
    public static Task<AuditEntry> PrioritizeAsync(this IPriorityQueueAdmin admin, string queueName, string messageId, string user, string reason,
        CancellationToken cancellationToken = default) =>
        Checked(admin).ChangePriorityAsync(queueName, messageId, Urgency.Prioritize, user, reason, cancellationToken);

    /// <summary>Moves a waiting message to urgency 9 (<see cref="Urgency.Urgent"/>).</summary>
    public static Task<AuditEntry> UrgentAsync(this IPriorityQueueAdmin admin, string queueName, string messageId, string user, string reason,
        CancellationToken cancellationToken = default) =>
        Checked(admin).ChangePriorityAsync(queueName, messageId, Urgency.Urgent, user, reason, cancellationToken);

    /// <summary>Moves a waiting message to urgency 10 (<see cref="Urgency.Critical"/>).</summary>
    public static Task<AuditEntry> CriticalAsync(this IPriorityQueueAdmin admin, string queueName, string messageId, string user, string reason,
        CancellationToken cancellationToken = default) =>
        Checked(admin).ChangePriorityAsync(queueName, messageId, Urgency.Critical, user, reason, cancellationToken);

    static IPriorityQueueAdmin Checked(IPriorityQueueAdmin admin) => admin ?? throw new ArgumentNullException(nameof(admin));
}

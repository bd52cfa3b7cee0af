using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using RedisPriorityTransport.Dashboard.Rendering;
using RedisPriorityTransport.Dashboard.Security;

namespace RedisPriorityTransport.Dashboard.Endpoints;

/// <summary>
/// What each POST does once the handler has checked the role and the token: one admin API call with the user's name
/// and reason (so it lands in the audit), then the page to go back to.
/// </summary>
internal static class DashboardActions
{
    /// <summary>Refuses (403) a level above what the user's role may set; a level that is no level passes here and fails as 400 later.</summary>
    public static void AuthorizeLevel(DashboardRequest request, IFormCollection form)
    {
        if (TryReadLevel(form, out var urgency) && !request.User.MaySetLevel(urgency))
        {
            throw new DashboardForbiddenException(
                $"Your role ({Layout.Role(request.User.Role)}) may set levels up to {(int?)RoleMatrix.HighestLevel(request.User.Role)}; level {(int)urgency} needs {Layout.Role(RoleMatrix.Minimum(RoleMatrix.ForLevel(urgency)))}. Nothing was changed.");
        }
    }

    static bool TryReadLevel(IFormCollection form, out Urgency urgency)
    {
        var raw = form["level"].ToString() == "any" ? form["anyLevel"].ToString() : form["level"].ToString();
        var valid = int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && UrgencyScale.IsValid(value);
        urgency = valid ? (Urgency)value : Urgency.Lowest;
        return valid;
    }

    public static async Task<string> ChangePriority(DashboardRequest request, IFormCollection form, string queue, string messageId)
    {
        if (!TryReadLevel(form, out var urgency))
            throw new ArgumentException($"The level '{form["level"]}' is not an urgency 0..10.", "level");
        AuthorizeLevel(request, form);
        await request.Admin.ChangePriorityAsync(queue, messageId, urgency, request.User.Name, RequiredReason(form), request.Http.RequestAborted);
        return request.MessageUrl(queue, messageId, "?notice=priority");
    }

    public static async Task<string> Cancel(DashboardRequest request, IFormCollection form, string queue, string messageId)
    {
        await request.Admin.CancelAsync(queue, messageId, request.User.Name, RequiredReason(form), request.Http.RequestAborted);
        return request.QueueUrl(queue, "?notice=cancelled");
    }

    public static async Task<string> RetryOne(DashboardRequest request, IFormCollection form, string queue, string messageId)
    {
        var message = await request.Admin.GetMessageAsync(queue, messageId, request.Http.RequestAborted);
        var source = message.State switch
        {
            MessageState.Error => DeadLetterQueue.Error,
            MessageState.Skipped => DeadLetterQueue.Skipped,
            _ => throw new MessageNotFoundException(queue, messageId, "in error or skipped", message.State),
        };
        var moved = await request.Admin.RedriveAsync(queue, source, [messageId], request.User.Name, OptionalReason(form), request.Http.RequestAborted);
        return request.MessageUrl(queue, messageId, moved > 0 ? "?notice=retried" : "?notice=retried-none");
    }

    public static async Task<string> Retry(DashboardRequest request, IFormCollection form, string queue)
    {
        var source = ParseSource(form["source"]);
        var state = source == DeadLetterQueue.Error ? "error" : "skipped";
        long moved;
        if (string.Equals(form["all"], "true", StringComparison.OrdinalIgnoreCase))
        {
            moved = await request.Admin.RedriveAllAsync(queue, source, request.User.Name, OptionalReason(form), request.Http.RequestAborted);
        }
        else
        {
            var ids = form["id"].Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => id!.Trim()).Distinct(StringComparer.Ordinal).ToList();
            if (ids.Count == 0)
                throw new ArgumentException("Select at least one message to retry.", "id");
            moved = await request.Admin.RedriveAsync(queue, source, ids, request.User.Name, OptionalReason(form), request.Http.RequestAborted);
        }

        return request.QueueUrl(queue, $"?state={state}&notice={(moved > 0 ? "retried" : "retried-none")}");
    }

    public static async Task<string> Purge(DashboardRequest request, IFormCollection form, string queue)
    {
        if (!Format.TryParseState(form["state"], out var state))
            throw new ArgumentException($"'{form["state"]}' is not a message state.", "state");
        if (!string.Equals(form["confirm"], "true", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("Tick the box to confirm the purge.", "confirm");
        await request.Admin.PurgeAsync(queue, state, request.User.Name, OptionalReason(form), request.Http.RequestAborted);
        return request.QueueUrl(queue, $"?state={Format.StateSlug(state)}&notice=purged");
    }

    public static async Task<string> Pause(DashboardRequest request, IFormCollection form, string queue)
    {
        await request.Admin.PauseAsync(queue, request.User.Name, OptionalReason(form), request.Http.RequestAborted);
        return request.QueueUrl(queue, "?notice=paused");
    }

    public static async Task<string> Resume(DashboardRequest request, IFormCollection form, string queue)
    {
        await request.Admin.ResumeAsync(queue, request.User.Name, OptionalReason(form), request.Http.RequestAborted);
        return request.QueueUrl(queue, "?notice=resumed");
    }

    public static async Task<string> RateLimit(DashboardRequest request, IFormCollection form, string queue)
    {
        RateLimit? limit = null;
        if (!string.Equals(form["remove"], "true", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(form["messages"], NumberStyles.None, CultureInfo.InvariantCulture, out var messages) || messages < 1)
                throw new ArgumentException($"Messages must be a whole number of at least 1; got '{form["messages"]}'.", "messages");
            if (!double.TryParse(form["seconds"], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0.001 || seconds > 86_400)
                throw new ArgumentException($"The interval must be 0.001 to 86400 seconds; got '{form["seconds"]}'.", "seconds");
            limit = new RateLimit(messages, TimeSpan.FromSeconds(seconds));
        }

        await request.Admin.SetRateLimitAsync(queue, limit, request.User.Name, OptionalReason(form), request.Http.RequestAborted);
        return request.QueueUrl(queue, limit is null ? "?notice=rate-limit-removed" : "?notice=rate-limit");
    }

    public static async Task<string> AssignRole(DashboardRequest request, IFormCollection form, RoleAssignments assignments)
    {
        var user = form["user"].ToString().Trim();
        if (user.Length is 0 or > 200)
            throw new ArgumentException("The user name must be 1 to 200 characters.", "user");
        if (!Enum.TryParse<DashboardRole>(form["role"], ignoreCase: true, out var role) || role == DashboardRole.None || !Enum.IsDefined(role))
            throw new ArgumentException($"'{form["role"]}' is not a role (viewer, operator, manager or admin).", "role");
        var changed = await ChangeRole(request, assignments, user, role, OptionalReason(form));
        return request.Url(changed ? "/users?notice=role-saved" : "/users?notice=role-unchanged");
    }

    public static async Task<string> RemoveRole(DashboardRequest request, IFormCollection form, RoleAssignments assignments)
    {
        var user = form["user"].ToString().Trim();
        if (user.Length == 0)
            throw new ArgumentException("Name the user whose assignment to remove.", "user");
        var changed = await ChangeRole(request, assignments, user, DashboardRole.None, OptionalReason(form));
        return request.Url(changed ? "/users?notice=role-removed" : "/users?notice=role-unchanged");
    }

    /// <summary>
    /// The one way to a role change and its audit entry. The endpoint has checked the permission already; it is checked
    /// again here, so no other route to this code can write the audit for someone who is not an admin.
    /// </summary>
    static Task<bool> ChangeRole(DashboardRequest request, RoleAssignments assignments, string user, DashboardRole role, string? reason)
    {
        if (!request.User.May(DashboardPermission.ManageUsers))
            throw new DashboardForbiddenException($"Your role ({Layout.Role(request.User.Role)}) may not change roles; only admins may. Nothing was changed.");
        return assignments.ChangeAsync(request.User.Name, user, role, reason);
    }

    static DeadLetterQueue ParseSource(StringValues value) => value.ToString().ToLowerInvariant() switch
    {
        "error" => DeadLetterQueue.Error,
        "skipped" => DeadLetterQueue.Skipped,
        _ => throw new ArgumentException($"'{value}' is not a place to retry from (error or skipped).", "source"),
    };

    static string RequiredReason(IFormCollection form)
    {
        var reason = form["reason"].ToString().Trim();
        if (reason.Length == 0)
            throw new ArgumentException("A reason is required for this action; it is kept in the audit.", "reason");
        if (reason.Length > 500)
            throw new ArgumentException("A reason is at most 500 characters.", "reason");
        return reason;
    }

    static string? OptionalReason(IFormCollection form)
    {
        var reason = form["reason"].ToString().Trim();
        if (reason.Length > 500)
            throw new ArgumentException("A reason is at most 500 characters.", "reason");
        return reason.Length == 0 ? null : reason;
    }
}

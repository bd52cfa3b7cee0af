using RedisPriorityTransport.Dashboard.Endpoints;
using RedisPriorityTransport.Dashboard.Rendering;

namespace RedisPriorityTransport.Dashboard.Pages;

/// <summary>The audit of a queue, newest first, filterable by user and action.</summary>
internal static class HistoryPage
{
    public static async Task<string> RenderAsync(DashboardRequest request, string queueName, CancellationToken cancellationToken)
    {
        await request.Admin.GetQueueAsync(queueName, cancellationToken);
        var userFilter = request.Query("user");
        var actionFilter = Enum.TryParse<AuditAction>(request.Query("action"), ignoreCase: true, out var a) && Enum.IsDefined(a) ? a : (AuditAction?)null;
        var cursor = request.Query("cursor");
        var page = await request.Admin.GetHistoryAsync(queueName,
            new AuditQuery { User = userFilter, Action = actionFilter, Cursor = cursor, PageSize = request.Options.PageSize }, cancellationToken);

        var html = new Html();
        html.Add($"""
            <div class="page-head"><div><h1>History of {queueName}</h1><p class="sub">Every action on the queue and its messages: who, when (Redis time), from, to and why.</p></div></div>
            <section class="panel">
            <form method="get" action="{request.QueueUrl(queueName, "/history")}" class="filters" data-testid="history-filters">
            <label>User<input type="text" name="user" value="{userFilter}" placeholder="exact name"></label>
            <label>Action<select name="action"><option value="">any</option>
            """);
        foreach (var action in Enum.GetValues<AuditAction>())
            html.Add($"<option value=\"{action}\"{(action == actionFilter ? " selected" : "")}>{Format.Action(action)}</option>");
        html.Add($"""
            </select></label>
            <button type="submit" class="primary">Filter</button>
            <a class="button" href="{request.QueueUrl(queueName, "/history")}">Clear</a>
            </form>
            </section>
            <section class="panel flush">{Table(request, page.Entries, showMessage: true)}
            """);
        if (cursor is not null || page.NextCursor is not null)
        {
            html.Add($"<div class=\"pager\">");
            var filters = (userFilter is null ? "" : "&user=" + Uri.EscapeDataString(userFilter)) + (actionFilter is null ? "" : "&action=" + actionFilter);
            if (cursor is not null)
                html.Add($"<a class=\"button\" href=\"{request.QueueUrl(queueName, "/history?" + filters.TrimStart('&'))}\">Newest</a>");
            if (page.NextCursor is not null)
                html.Add($"<a class=\"button\" href=\"{request.QueueUrl(queueName, "/history?cursor=" + Uri.EscapeDataString(page.NextCursor) + filters)}\">Older</a>");
            html.Add($"</div>");
        }

        html.Add($"</section>");
        var crumbs = Fragments.Crumbs(("Overview", request.Url()), (queueName, request.QueueUrl(queueName)), ("History", null));
        return Layout.Page(request, "History of " + queueName, html.ToHtml(), breadcrumbs: crumbs);
    }

    public static HtmlString Table(DashboardRequest request, IReadOnlyList<AuditEntry> entries, bool showMessage)
    {
        var html = new Html();
        html.Add($"<table data-testid=\"audit\"><thead><tr><th>Time (UTC)</th><th>User</th><th>Action</th>{(showMessage ? Html.Of($"<th>Message</th>") : HtmlString.Empty)}<th>From</th><th>To</th><th>Reason</th><th>Details</th></tr></thead><tbody>");
        if (entries.Count == 0)
            html.Add($"<tr><td colspan=\"8\" class=\"empty\">No entries.</td></tr>");
        foreach (var e in entries)
        {
            html.Add($"<tr data-testid=\"audit-entry\"><td class=\"nowrap\">{Format.Time(e.Time)}</td><td data-testid=\"audit-user\">{e.User}</td><td><span class=\"chip chip-plain\">{Format.Action(e.Action)}</span></td>");
            if (showMessage)
            {
                html.Add(e.MessageId is null
                    ? Html.Of($"<td class=\"dim\">whole queue</td>")
                    : Html.Of($"<td class=\"mono\"><a href=\"{request.MessageUrl(e.QueueName, e.MessageId)}\">{e.MessageId}</a></td>"));
            }

            html.Add($"""
                <td>{(e.FromUrgency is { } from ? Fragments.Urgency(from) : Html.Of($"<span class=\"zero\">–</span>"))}</td>
                <td>{(e.ToUrgency is { } to ? Fragments.Urgency(to) : Html.Of($"<span class=\"zero\">–</span>"))}</td>
                <td data-testid="audit-reason">{e.Reason}</td>
                <td class="dim nowrap">{string.Join(", ", e.Details.Select(d => d.Key + ": " + d.Value))}</td>
                </tr>
                """);
        }

        html.Add($"</tbody></table>");
        return html.ToHtml();
    }
}

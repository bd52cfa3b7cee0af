using System.Globalization;
using RedisPriorityTransport.Dashboard.Endpoints;
using RedisPriorityTransport.Dashboard.Rendering;
using RedisPriorityTransport.Dashboard.Security;

namespace RedisPriorityTransport.Dashboard.Pages;

/// <summary>One queue: its messages in one state, in delivery order, paged and filtered, with the queue's actions.</summary>
internal static class QueuePage
{
    static readonly MessageState[] States = [MessageState.Ready, MessageState.Delayed, MessageState.InFlight, MessageState.Error, MessageState.Skipped];

    public static async Task<string> RenderAsync(DashboardRequest request, string queueName, CancellationToken cancellationToken)
    {
        var state = Format.TryParseState(request.Query("state"), out var parsed) ? parsed : MessageState.Ready;
        var filter = ReadFilter(request);
        var cursor = request.Query("cursor");
        var at = int.TryParse(request.Query("at"), NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : 0;
        var queue = await request.Admin.GetQueueAsync(queueName, cancellationToken);
        var page = await request.Admin.BrowseAsync(queueName, state, filter, cursor, request.Options.PageSize, cancellationToken);
        var user = request.User;
        var deadLetter = state is MessageState.Error or MessageState.Skipped;
        var mayRetry = deadLetter && user.May(DashboardPermission.Retry);

        var html = new Html();
        html.Add($"""
            <div class="page-head">
            <div><h1 data-testid="queue-title">{queue.Name}</h1><p class="sub">{OverviewPage.StateChips(queue)} · memory {Format.Bytes(queue.MemoryBytes)}</p></div>
            <div class="toolbar"><a class="button" href="{request.QueueUrl(queue.Name, "/history")}">History</a></div>
            </div>
            <div id="queue-live" data-live="{request.Options.RefreshSeconds}">
            <nav class="tabs" aria-label="Message states">
            """);
        foreach (var s in States)
        {
            html.Add($"<a href=\"{request.QueueUrl(queue.Name, "?state=" + Format.StateSlug(s))}\" class=\"{(s == state ? "on" : "")}\" data-testid=\"tab-{Format.StateSlug(s)}\">{Format.State(s)}<span class=\"count\" data-testid=\"count-{Format.StateSlug(s)}\">{Format.Count(CountOf(queue, s))}</span></a>");
        }

        html.Add($"""
            </nav>
            <p class="sub band-line">Ready by band: <span class="band band-high">high {Format.Count(queue.ReadyByBand.GetValueOrDefault(UrgencyBand.High))}</span>
            <span class="band band-normal">normal {Format.Count(queue.ReadyByBand.GetValueOrDefault(UrgencyBand.Normal))}</span>
            <span class="band band-low">low {Format.Count(queue.ReadyByBand.GetValueOrDefault(UrgencyBand.Low))}</span></p>
            </div>
            """);

        html.Add(QueueActions(request, queue, state));

        html.Add($"""
            <section class="panel">
            <form method="get" action="{request.QueueUrl(queue.Name)}" class="filters" data-testid="filters">
            <input type="hidden" name="state" value="{Format.StateSlug(state)}">
            <label>MessageId<input type="text" name="messageId" value="{filter?.MessageId}" class="wide" placeholder="exact id"></label>
            <label>Message type<input type="text" name="type" value="{filter?.MessageType}" placeholder="part of the type"></label>
            <label>Event type<input type="text" name="eventType" value="{filter?.EventType}" placeholder="exact"></label>
            <label>Urgency<select name="urgency">{UrgencyOptions(request.Query("urgency"))}</select></label>
            <button type="submit" class="primary">Filter</button>
            <a class="button" href="{request.QueueUrl(queue.Name, "?state=" + Format.StateSlug(state))}">Clear</a>
            </form>
            </section>
            """);

        html.Add($"<section class=\"panel flush\"><h2>{Format.State(state)} messages{(state == MessageState.Ready ? " in delivery order" : "")}</h2>");
        if (mayRetry)
        {
            html.Add($"""
                <form method="post" action="{request.QueueUrl(queue.Name, "/retry")}" id="retry-selected" class="action-row" data-testid="retry-selected-form">
                {request.AntiforgeryField()}
                <input type="hidden" name="source" value="{Format.StateSlug(state)}">
                </form>
                """);
        }

        html.Add($"<table data-testid=\"messages\"><thead><tr>");
        if (mayRetry)
            html.Add($"<th><input type=\"checkbox\" data-select-all=\"retry-selected\" aria-label=\"Select all on this page\"></th>");
        html.Add($"<th class=\"num\">#</th><th>MessageId</th><th>Urgency</th><th>Event type</th><th>Message type</th><th class=\"num\">Deliveries</th><th>Enqueued</th><th>{StateColumn(state)}</th></tr></thead><tbody>");
        if (page.Messages.Count == 0 && page.NextCursor is not null)
            html.Add($"<tr><td colspan=\"9\" class=\"empty\">None matched in the stretch of the queue this page looked at; Next page searches on.</td></tr>");
        else if (page.Messages.Count == 0)
            html.Add($"<tr><td colspan=\"9\" class=\"empty\">No {Format.State(state)} messages{(filter is null ? "" : " match the filter")}.</td></tr>");
        var position = at;
        foreach (var m in page.Messages)
        {
            position++;
            html.Add($"<tr data-message-id=\"{m.MessageId}\">");
            if (mayRetry)
                html.Add($"<td><input type=\"checkbox\" name=\"id\" value=\"{m.MessageId}\" form=\"retry-selected\" aria-label=\"Select {m.MessageId}\"></td>");
            html.Add($"""
                <td class="num dim">{position}</td>
                <td class="mono"><a href="{request.MessageUrl(queue.Name, m.MessageId)}">{m.MessageId}</a></td>
                <td>{Fragments.Urgency(m.Urgency)}</td>
                <td>{m.EventType ?? "–"}</td>
                <td title="{string.Join(", ", m.MessageTypes)}">{(m.MessageTypes.Count > 0 ? Format.ShortType(m.MessageTypes[0]) : "–")}</td>
                <td class="num">{m.DeliveryCount}</td>
                <td class="nowrap" title="{Format.Time(m.EnqueuedAt)}">{Format.Age(m.Age)} ago</td>
                <td>{StateCell(m)}</td>
                </tr>
                """);
        }

        html.Add($"</tbody></table>");
        if (mayRetry && page.Messages.Count > 0)
        {
            html.Add($"""
                <div class="pager">
                <label class="inline">Reason <input type="text" name="reason" form="retry-selected" placeholder="optional"></label>
                <button type="submit" form="retry-selected" class="primary" data-testid="retry-selected">Retry selected</button>
                </div>
                """);
        }

        if (cursor is not null || page.NextCursor is not null)
        {
            html.Add($"<div class=\"pager\">");
            if (cursor is not null)
                html.Add($"<a class=\"button\" href=\"{request.QueueUrl(queue.Name, PageQuery(request, state, null, 0))}\">First page</a>");
            if (page.NextCursor is not null)
                html.Add($"<a class=\"button\" data-testid=\"next-page\" href=\"{request.QueueUrl(queue.Name, PageQuery(request, state, page.NextCursor, position))}\">Next page</a>");
            html.Add($"</div>");
        }

        html.Add($"</section>");
        var crumbs = Fragments.Crumbs(("Overview", request.Url()), (queue.Name, null));
        return Layout.Page(request, queue.Name, html.ToHtml(), breadcrumbs: crumbs);
    }

    static HtmlString QueueActions(DashboardRequest request, QueueSummary queue, MessageState state)
    {
        var user = request.User;
        var html = new Html();
        var deadLetter = state is MessageState.Error or MessageState.Skipped;
        var any = false;
        html.Add($"<section class=\"panel queue-actions\" data-testid=\"queue-actions\"><h2>Queue actions</h2><div class=\"actions\">");
        if (deadLetter && user.May(DashboardPermission.Retry) && CountOf(queue, state) > 0)
        {
            any = true;
            html.Add($"""
                <form method="post" action="{request.QueueUrl(queue.Name, "/retry")}" class="action-row">
                {request.AntiforgeryField()}
                <input type="hidden" name="source" value="{Format.StateSlug(state)}"><input type="hidden" name="all" value="true">
                <label>Reason<input type="text" name="reason" placeholder="optional" class="wide"></label>
                <button type="submit" class="primary" data-testid="retry-all">Retry all {Format.Count(CountOf(queue, state))} from {Format.State(state)}</button>
                </form>
                """);
        }

        if (user.May(DashboardPermission.PauseResume))
        {
            any = true;
            var (path, label, testId) = queue.IsPaused ? ("/resume", "Resume", "resume") : ("/pause", "Pause", "pause");
            html.Add($"""
                <form method="post" action="{request.QueueUrl(queue.Name, path)}" class="action-row">
                {request.AntiforgeryField()}
                <label>Reason<input type="text" name="reason" placeholder="optional" class="wide"></label>
                <button type="submit" class="{(queue.IsPaused ? "primary" : "")}" data-testid="{testId}">{label} consumers</button>
                </form>
                """);
        }

        if (user.May(DashboardPermission.RateLimit))
        {
            any = true;
            html.Add($"""
                <form method="post" action="{request.QueueUrl(queue.Name, "/rate-limit")}" class="action-row">
                {request.AntiforgeryField()}
                <label>Messages<input type="number" name="messages" min="1" class="narrow" value="{queue.RateLimit?.Messages}"></label>
                <label>per seconds<input type="number" name="seconds" min="0.001" step="any" class="narrow" value="{queue.RateLimit?.Interval.TotalSeconds}"></label>
                <label>Reason<input type="text" name="reason" placeholder="optional"></label>
                <button type="submit" data-testid="set-rate-limit">Set rate limit</button>
                <button type="submit" name="remove" value="true" data-testid="remove-rate-limit">Remove limit</button>
                </form>
                """);
        }

        if (user.May(DashboardPermission.Purge) && state != MessageState.InFlight && CountOf(queue, state) > 0)
        {
            any = true;
            html.Add($"""
                <form method="post" action="{request.QueueUrl(queue.Name, "/purge")}" class="action-row">
                {request.AntiforgeryField()}
                <input type="hidden" name="state" value="{Format.StateSlug(state)}">
                <label>Reason<input type="text" name="reason" placeholder="optional" class="wide"></label>
                <label class="inline"><input type="checkbox" name="confirm" value="true" required> delete all {Format.Count(CountOf(queue, state))} {Format.State(state)} messages</label>
                <button type="submit" class="danger" data-testid="purge">Purge {Format.State(state)}</button>
                </form>
                """);
        }

        if (!any)
            html.Add($"<p class=\"hint\">Your role ({Layout.Role(user.Role)}) has no actions on this queue.</p>");
        html.Add($"</div></section>");
        return html.ToHtml();
    }

    static MessageFilter? ReadFilter(DashboardRequest request)
    {
        var (min, max) = ParseUrgency(request.Query("urgency"));
        var filter = new MessageFilter
        {
            MessageId = request.Query("messageId"),
            MessageType = request.Query("type"),
            EventType = request.Query("eventType"),
            MinUrgency = min,
            MaxUrgency = max,
        };
        return filter == new MessageFilter() ? null : filter;
    }

    static (Urgency?, Urgency?) ParseUrgency(string? value)
    {
        if (value is null)
            return (null, null);
        if (Enum.TryParse<UrgencyBand>(value, ignoreCase: true, out var band) && !int.TryParse(value, out _))
        {
            var (low, high) = UrgencyScale.RangeOf(band);
            return (low, high);
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var level) && UrgencyScale.IsValid(level)
            ? ((Urgency)level, (Urgency)level)
            : (null, null);
    }

    static HtmlString UrgencyOptions(string? selected)
    {
        var html = new Html();
        html.Add($"<option value=\"\">any</option>");
        foreach (var band in new[] { "high", "normal", "low" })
            html.Add($"<option value=\"{band}\"{(selected == band ? " selected" : "")}>{band} band</option>");
        foreach (var urgency in UrgencyScale.MostUrgentFirst)
        {
            var value = ((int)urgency).ToString(CultureInfo.InvariantCulture);
            html.Add($"<option value=\"{value}\"{(selected == value ? " selected" : "")}>{value} · {urgency}</option>");
        }

        return html.ToHtml();
    }

    static string PageQuery(DashboardRequest request, MessageState state, string? cursor, int at)
    {
        var parts = new List<string> { "state=" + Format.StateSlug(state) };
        foreach (var name in new[] { "messageId", "type", "eventType", "urgency" })
        {
            if (request.Query(name) is { } value)
                parts.Add(name + "=" + Uri.EscapeDataString(value));
        }

        if (cursor is not null)
        {
            parts.Add("cursor=" + Uri.EscapeDataString(cursor));
            parts.Add("at=" + at.ToString(CultureInfo.InvariantCulture));
        }

        return "?" + string.Join("&", parts);
    }

    public static long CountOf(QueueSummary queue, MessageState state) => state switch
    {
        MessageState.Ready => queue.Ready,
        MessageState.Delayed => queue.Delayed,
        MessageState.InFlight => queue.InFlight,
        MessageState.Error => queue.Error,
        MessageState.Skipped => queue.Skipped,
        _ => 0,
    };

    static string StateColumn(MessageState state) => state switch
    {
        MessageState.Delayed => "Due",
        MessageState.InFlight => "Lease expires",
        MessageState.Error or MessageState.Skipped => "Reason",
        _ => "Band",
    };

    static HtmlString StateCell(MessageSummary m) => m.State switch
    {
        MessageState.Delayed => Html.Of($"{Format.Time(m.DueAt)}"),
        MessageState.InFlight => Html.Of($"{Format.Time(m.LeaseExpiresAt)}"),
        MessageState.Error or MessageState.Skipped => Html.Of($"<span class=\"dim\">{m.FaultReason ?? "–"}</span>"),
        _ => Html.Of($"<span class=\"band band-{Format.Band(m.Band)}\">{Format.Band(m.Band)}</span>"),
    };
}

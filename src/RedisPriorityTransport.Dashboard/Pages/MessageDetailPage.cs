using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RedisPriorityTransport.Dashboard.Endpoints;
using RedisPriorityTransport.Dashboard.Rendering;
using RedisPriorityTransport.Dashboard.Security;

namespace RedisPriorityTransport.Dashboard.Pages;

/// <summary>One message: facts, the actions the user's role allows, fault details, headers, body and priority history.</summary>
internal static class MessageDetailPage
{
    public static async Task<string> RenderAsync(DashboardRequest request, string queueName, string messageId, CancellationToken cancellationToken)
    {
        MessageDetails message;
        try
        {
            message = await request.Admin.GetMessageAsync(queueName, messageId, cancellationToken);
        }
        catch (MessageNotFoundException)
        {
            var past = await request.Admin.GetMessageHistoryAsync(queueName, messageId, cancellationToken);
            if (past.Count == 0)
                throw;
            return Gone(request, queueName, messageId, past);
        }

        var history = await request.Admin.GetMessageHistoryAsync(queueName, messageId, cancellationToken);
        var html = new Html();
        html.Add($"""
            <div class="page-head"><div><h1 class="mono" data-testid="message-id">{message.MessageId}</h1>
            <p class="sub">{Fragments.Urgency(message.Urgency)} <span class="chip chip-plain" data-testid="message-state">{Format.State(message.State)}</span> in <a href="{request.QueueUrl(queueName)}">{queueName}</a></p></div></div>
            <div class="grid">
            <section class="panel"><h2>Message</h2><dl class="facts">
            <dt>State</dt><dd>{Format.State(message.State)}</dd>
            <dt>Urgency</dt><dd data-testid="message-urgency">{(int)message.Urgency} · {message.Urgency} ({Format.Band(message.Band)} band)</dd>
            <dt>Event type</dt><dd>{message.EventType ?? "–"}</dd>
            <dt>Message types</dt><dd class="mono">{(message.MessageTypes.Count == 0 ? "–" : string.Join(", ", message.MessageTypes))}</dd>
            <dt>Deliveries</dt><dd data-testid="message-deliveries">{message.DeliveryCount}</dd>
            <dt>Enqueued</dt><dd>{Format.Time(message.EnqueuedAt)} ({Format.Age(message.Age)} ago)</dd>
            """);
        if (message.DueAt is not null)
            html.Add($"<dt>Due</dt><dd>{Format.Time(message.DueAt)}</dd>");
        if (message.LeaseExpiresAt is not null)
            html.Add($"<dt>Lease expires</dt><dd>{Format.Time(message.LeaseExpiresAt)}</dd>");
        html.Add($"<dt>Body size</dt><dd>{Format.Bytes(message.Body.Length)}</dd></dl></section>");
        html.Add(Actions(request, queueName, message));
        html.Add($"</div>");

        if (message.State is MessageState.Error or MessageState.Skipped || message.FaultReason is not null)
            html.Add(Fault(message));

        html.Add($"<section class=\"panel flush\"><h2>Priority history</h2>{HistoryPage.Table(request, history, showMessage: false)}</section>");

        html.Add($"<section class=\"panel flush\"><h2>Headers</h2><table data-testid=\"headers\"><tbody>");
        if (message.Headers.Count == 0)
            html.Add($"<tr><td class=\"empty\">No headers.</td></tr>");
        foreach (var (name, value) in message.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            html.Add($"<tr><td class=\"header-name mono\">{name}</td><td class=\"header-value mono\">{value}</td></tr>");
        html.Add($"</tbody></table></section>");

        html.Add($"<section class=\"panel\"><h2>Body</h2><pre class=\"body\" data-testid=\"body\">{FormatBody(message.Body)}</pre></section>");
        var crumbs = Fragments.Crumbs(("Overview", request.Url()), (queueName, request.QueueUrl(queueName)),
            (Format.State(message.State), request.QueueUrl(queueName, "?state=" + Format.StateSlug(message.State))), (message.MessageId, null));
        return Layout.Page(request, message.MessageId, html.ToHtml(), breadcrumbs: crumbs);
    }

    /// <summary>A message no longer in the queue (consumed, cancelled or purged) still has its history.</summary>
    static string Gone(DashboardRequest request, string queueName, string messageId, IReadOnlyList<AuditEntry> history)
    {
        var content = Html.Of($"""
            <div class="page-head"><div><h1 class="mono" data-testid="message-id">{messageId}</h1>
            <p class="sub"><span class="chip chip-plain" data-testid="message-state">gone</span> no longer in <a href="{request.QueueUrl(queueName)}">{queueName}</a>: consumed, cancelled or purged.</p></div></div>
            <section class="panel flush"><h2>Priority history</h2>{HistoryPage.Table(request, history, showMessage: false)}</section>
            """);
        var crumbs = Fragments.Crumbs(("Overview", request.Url()), (queueName, request.QueueUrl(queueName)), (messageId, null));
        return Layout.Page(request, messageId, content, breadcrumbs: crumbs);
    }

    static HtmlString Actions(DashboardRequest request, string queueName, MessageDetails message)
    {
        var user = request.User;
        var html = new Html();
        html.Add($"<section class=\"panel\" data-testid=\"message-actions\"><h2>Actions</h2><div class=\"actions\">");
        var any = false;
        if (message.State is MessageState.Ready or MessageState.Delayed)
        {
            if (user.MaySetLevel(Urgency.Prioritize))
            {
                any = true;
                html.Add($"""
                    <form method="post" action="{request.MessageUrl(queueName, message.MessageId, "/priority")}" class="actions">
                    {request.AntiforgeryField()}
                    <label>Reason (required)<input type="text" name="reason" required class="wide" data-testid="priority-reason" placeholder="why this message moves"></label>
                    <div class="action-row">
                    <button type="submit" name="level" value="8" class="act-8" data-testid="prioritize">Prioritize → 8</button>
                    """);
                if (user.MaySetLevel(Urgency.Urgent))
                    html.Add($"<button type=\"submit\" name=\"level\" value=\"9\" class=\"act-9\" data-testid=\"urgent\">Urgent → 9</button>");
                if (user.MaySetLevel(Urgency.Critical))
                    html.Add($"<button type=\"submit\" name=\"level\" value=\"10\" class=\"act-10\" data-testid=\"critical\">Critical → 10</button>");
                html.Add($"</div><div class=\"action-row\"><label>Any level<select name=\"anyLevel\" data-testid=\"any-level\">");
                var highest = RoleMatrix.HighestLevel(user.Role) ?? Urgency.Lowest;
                foreach (var urgency in UrgencyScale.MostUrgentFirst.Where(u => u <= highest))
                    html.Add($"<option value=\"{(int)urgency}\"{(urgency == message.Urgency ? " selected" : "")}>{(int)urgency} · {urgency}</option>");
                html.Add($"</select></label><button type=\"submit\" name=\"level\" value=\"any\" data-testid=\"set-level\">Set level</button></div></form>");
                html.Add($"<p class=\"hint\">Your role may set levels up to {(int)highest}. The message keeps its place by age among messages of its new level.</p>");
            }

            if (user.May(DashboardPermission.Cancel))
            {
                any = true;
                html.Add($"""
                    <form method="post" action="{request.MessageUrl(queueName, message.MessageId, "/cancel")}" class="action-row">
                    {request.AntiforgeryField()}
                    <label>Reason (required)<input type="text" name="reason" required data-testid="cancel-reason"></label>
                    <button type="submit" class="danger" data-testid="cancel">Cancel message</button>
                    </form>
                    """);
            }
        }
        else if (message.State is MessageState.Error or MessageState.Skipped && user.May(DashboardPermission.Retry))
        {
            any = true;
            html.Add($"""
                <form method="post" action="{request.MessageUrl(queueName, message.MessageId, "/retry")}" class="action-row">
                {request.AntiforgeryField()}
                <label>Reason<input type="text" name="reason" placeholder="optional" class="wide"></label>
                <button type="submit" class="primary" data-testid="retry">Retry</button>
                </form>
                """);
        }

        if (!any)
        {
            html.Add(message.State == MessageState.InFlight
                ? Html.Of($"<p class=\"hint\">A consumer is handling this message; it cannot be changed now.</p>")
                : Html.Of($"<p class=\"hint\">Your role ({Layout.Role(user.Role)}) has no actions on this message.</p>"));
        }

        html.Add($"</div></section>");
        return html.ToHtml();
    }

    static HtmlString Fault(MessageDetails message)
    {
        var html = new Html();
        // MT-Reason is a category ("fault"); the exception says what happened.
        message.Headers.TryGetValue("MT-Fault-ExceptionType", out var exceptionType);
        message.Headers.TryGetValue("MT-Fault-Message", out var exceptionMessage);
        var headline = exceptionMessage is null ? message.FaultReason ?? "no reason recorded"
            : exceptionType is null ? exceptionMessage : $"{exceptionType[(exceptionType.LastIndexOf('.') + 1)..]}: {exceptionMessage}";
        html.Add($"<section class=\"panel\"><h2>Fault</h2><div class=\"fault\" data-testid=\"fault\"><p class=\"fault-headline\"><strong>{headline}</strong></p>");
        var fault = message.Headers.Where(h => h.Key.StartsWith("MT-Fault-", StringComparison.OrdinalIgnoreCase) || h.Key.StartsWith("MT-Reason", StringComparison.OrdinalIgnoreCase))
            .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).ToList();
        if (fault.Count > 0)
        {
            html.Add($"<dl class=\"facts\">");
            foreach (var (name, value) in fault)
                html.Add($"<dt>{name}</dt><dd>{(value.Contains('\n') ? Html.Of($"<pre>{value}</pre>") : Html.Of($"{value}"))}</dd>");
            html.Add($"</dl>");
        }

        html.Add($"</div></section>");
        return html.ToHtml();
    }

    /// <summary>The body as indented JSON when it is JSON, else as text; encoded by the caller's template either way.</summary>
    internal static string FormatBody(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
            return "(empty)";
        try
        {
            using var document = JsonDocument.Parse(body);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                document.WriteTo(writer);
            return Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            var text = Encoding.UTF8.GetString(body.Span);
            return text.Length > 100_000 ? text[..100_000] + "\n… (cut at 100,000 characters)" : text;
        }
    }

    internal static string Level(Urgency? urgency) => urgency is { } u ? ((int)u).ToString(CultureInfo.InvariantCulture) + " · " + u : "–";
}

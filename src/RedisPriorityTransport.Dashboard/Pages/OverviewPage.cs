using RedisPriorityTransport.Dashboard.Endpoints;
using RedisPriorityTransport.Dashboard.Rendering;

namespace RedisPriorityTransport.Dashboard.Pages;

/// <summary>Every queue at a glance: ready per band, oldest waits, in flight, delayed, failed, paused, memory, trend.</summary>
internal static class OverviewPage
{
    static readonly UrgencyBand[] Bands = [UrgencyBand.High, UrgencyBand.Normal, UrgencyBand.Low];

    public static async Task<string> RenderAsync(DashboardRequest request, QueueTrends trends, CancellationToken cancellationToken)
    {
        var all = (await request.Admin.GetQueuesAsync(cancellationToken)).OrderBy(q => q.Name, StringComparer.Ordinal).ToList();
        foreach (var queue in all)
            trends.Record(queue);
        var search = request.Query("q");
        var queues = search is null ? all : all.Where(q => q.Name.Contains(search, StringComparison.OrdinalIgnoreCase)).ToList();

        var highWaiting = queues.Sum(q => q.ReadyByBand.GetValueOrDefault(UrgencyBand.High));
        var errors = queues.Sum(q => q.Error);
        var html = new Html();
        html.Add($"""
            <div class="page-head"><div><h1>Overview</h1><p class="sub">{(search is null ? $"{all.Count} queues" : $"{queues.Count} of {all.Count} queues")} · delivery order: urgency, then event type, then age</p></div>
            <form method="get" action="{request.Url()}" class="filters" role="search"><label class="inline"><span class="sr-only">Queue name</span><input type="text" name="q" value="{search}" placeholder="Find queues by name"></label><button type="submit">Find</button></form></div>
            <div id="overview-live" data-live="{request.Options.RefreshSeconds}">
            <div class="cards">
            <div class="card"><div class="label">Ready</div><div class="value" data-testid="total-ready">{Format.Count(queues.Sum(q => q.Ready))}</div></div>
            <div class="card{(highWaiting > 0 ? " high" : "")}"><div class="label">High band waiting</div><div class="value">{Format.Count(highWaiting)}</div></div>
            <div class="card"><div class="label">In flight</div><div class="value">{Format.Count(queues.Sum(q => q.InFlight))}</div></div>
            <div class="card"><div class="label">Delayed</div><div class="value">{Format.Count(queues.Sum(q => q.Delayed))}</div></div>
            <div class="card{(errors > 0 ? " bad" : "")}"><div class="label">Error</div><div class="value">{Format.Count(errors)}</div></div>
            <div class="card"><div class="label">Skipped</div><div class="value">{Format.Count(queues.Sum(q => q.Skipped))}</div></div>
            </div>
            <section class="panel flush">
            <table data-testid="queues">
            <thead><tr>
            <th>Queue</th><th class="num band-high" title="urgency 8–10: count, oldest wait">High 8–10</th><th class="num band-normal" title="urgency 4–7: count, oldest wait">Normal 4–7</th><th class="num band-low" title="urgency 0–3: count, oldest wait">Low 0–3</th>
            <th class="num">In flight</th><th class="num">Delayed</th><th class="num">Error</th><th class="num">Skipped</th>
            <th>State</th><th class="num">Memory</th><th>Waiting, last {(int)QueueTrends.Window.TotalMinutes} min</th>
            </tr></thead>
            <tbody>
            """);
        if (queues.Count == 0)
            html.Add(search is null
                ? Html.Of($"<tr><td colspan=\"11\" class=\"empty\">No queues under this key prefix yet. They appear when a receive endpoint starts or a message is sent.</td></tr>")
                : Html.Of($"<tr><td colspan=\"11\" class=\"empty\">No queue name contains '{search}'.</td></tr>"));
        foreach (var q in queues)
        {
            html.Add($"""
                <tr data-queue="{q.Name}">
                <td class="queue-cell"><a class="queue-name" href="{request.QueueUrl(q.Name)}">{q.Name}</a>{Fragments.BandBar(q)}</td>
                """);
            foreach (var band in Bands)
            {
                var oldest = q.OldestReadyAgeByBand.GetValueOrDefault(band);
                html.Add($"<td class=\"num nowrap\"><span data-testid=\"ready-{Format.Band(band)}\">{Fragments.Count(q.ReadyByBand.GetValueOrDefault(band))}</span>");
                if (oldest is not null)
                    html.Add($"<span class=\"age\" title=\"oldest waiting\">oldest {Format.Age(oldest)}</span>");
                html.Add($"</td>");
            }

            html.Add($"""
                <td class="num" data-testid="in-flight">{Fragments.Count(q.InFlight)}</td>
                <td class="num">{Fragments.Count(q.Delayed)}</td>
                <td class="num" data-testid="error">{(q.Error > 0 ? Html.Of($"<a href=\"{request.QueueUrl(q.Name, "?state=error")}\">{Fragments.Count(q.Error, alarming: true)}</a>") : Fragments.Count(0))}</td>
                <td class="num">{(q.Skipped > 0 ? Html.Of($"<a href=\"{request.QueueUrl(q.Name, "?state=skipped")}\">{Fragments.Count(q.Skipped, alarming: true)}</a>") : Fragments.Count(0))}</td>
                <td class="nowrap">{StateChips(q)}</td>
                <td class="num nowrap">{Format.Bytes(q.MemoryBytes)}</td>
                <td class="trend-cell">{TrendCell(trends.Of(q.Name))}</td>
                </tr>
                """);
        }

        html.Add($"</tbody></table></section></div>");
        return Layout.Page(request, "Overview", html.ToHtml());
    }

    public static HtmlString StateChips(QueueSummary q)
    {
        var html = new Html();
        html.Add(q.IsPaused
            ? Html.Of($"<span class=\"chip chip-warn\" data-testid=\"paused\">paused</span>")
            : Html.Of($"<span class=\"chip chip-ok\">running</span>"));
        if (q.RateLimit is { } limit)
            html.Add($" <span class=\"chip chip-plain\" title=\"rate limit\">≤ {Format.RateLimit(limit)}</span>");
        return html.ToHtml();
    }

    static HtmlString TrendCell(QueueTrends.Trend? trend)
    {
        if (trend is not { } t)
            return Html.Of($"<span class=\"dim\">collecting…</span>");
        var direction = t.WaitingPerMinute switch { > 0 => "growing", < 0 => "draining", _ => "steady" };
        return Html.Of($"{Fragments.Sparkline(t.Waiting)} <span class=\"trend trend-{direction}\" title=\"change of ready and delayed messages per minute\">{Format.Rate(t.WaitingPerMinute)}</span>{(t.ErrorPerMinute > 0 ? Html.Of($" <span class=\"chip chip-bad\" title=\"error queue growth\">errors {Format.Rate(t.ErrorPerMinute)}</span>") : HtmlString.Empty)}");
    }
}

using System.Globalization;
using RedisPriorityTransport.Dashboard.Rendering;

namespace RedisPriorityTransport.Dashboard.Pages;

/// <summary>Small pieces several pages share.</summary>
internal static class Fragments
{
    public static HtmlString Urgency(Urgency urgency)
    {
        var band = Format.Band(UrgencyScale.BandOf(urgency));
        return Html.Of($"<span class=\"band band-{band}\" title=\"{band} band\">{(int)urgency} · {urgency}</span>");
    }

    public static HtmlString Count(long value, bool alarming = false) =>
        value == 0
            ? Html.Of($"<span class=\"zero\">0</span>")
            : alarming ? Html.Of($"<span class=\"bad-count\">{Format.Count(value)}</span>") : Html.Of($"{Format.Count(value)}");

    /// <summary>A stacked bar of the ready messages per band, drawn in SVG (no style attributes).</summary>
    public static HtmlString BandBar(QueueSummary queue)
    {
        if (queue.Ready == 0)
            return HtmlString.Empty;
        var total = queue.Ready;
        var html = new Html();
        html.Add($"<svg class=\"bar\" viewBox=\"0 0 100 6\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"ready by band\">");
        double x = 0;
        foreach (var band in new[] { UrgencyBand.High, UrgencyBand.Normal, UrgencyBand.Low })
        {
            var width = 100.0 * queue.ReadyByBand.GetValueOrDefault(band) / total;
            if (width <= 0)
                continue;
            html.Add($"<rect class=\"seg-{Format.Band(band)}\" x=\"{x.ToString("0.##", CultureInfo.InvariantCulture)}\" y=\"0\" width=\"{width.ToString("0.##", CultureInfo.InvariantCulture)}\" height=\"6\"/>");
            x += width;
        }

        html.Add($"</svg>");
        return html.ToHtml();
    }

    public static HtmlString Sparkline(IReadOnlyList<long> values)
    {
        if (values.Count < 2)
            return HtmlString.Empty;
        var max = Math.Max(1, values.Max());
        var min = values.Min();
        var span = Math.Max(1, max - min);
        var points = string.Join(" ", values.Select((v, i) =>
            FormattableString.Invariant($"{100.0 * i / (values.Count - 1):0.#},{22 - 20.0 * (v - min) / span:0.#}")));
        return Html.Of($"<svg class=\"spark\" viewBox=\"0 0 100 24\" preserveAspectRatio=\"none\" aria-hidden=\"true\"><polyline points=\"{points}\"/></svg>");
    }

    public static HtmlString Crumbs(params (string Text, string? Url)[] parts)
    {
        var html = new Html();
        foreach (var (text, url) in parts)
        {
            if (url is null)
                html.Add($"<span>{text}</span>");
            else
                html.Add($"<a href=\"{url}\">{text}</a>");
        }

        return html.ToHtml();
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace RedisPriorityTransport.Dashboard.Rendering;

/// <summary>Literals are markup; every formatted value is HTML-encoded unless it is an <see cref="HtmlString"/>.</summary>
[InterpolatedStringHandler]
internal readonly ref struct HtmlInterpolatedStringHandler
{
    readonly StringBuilder _builder;

    public HtmlInterpolatedStringHandler(int literalLength, int formattedCount, Html html) => _builder = html.Builder;

    public HtmlInterpolatedStringHandler(int literalLength, int formattedCount) => _builder = new StringBuilder(literalLength + formattedCount * 16);

    public void AppendLiteral(string value) => _builder.Append(value);

    public void AppendFormatted(HtmlString value) => _builder.Append(value.Value);

    public void AppendFormatted(string? value)
    {
        if (!string.IsNullOrEmpty(value))
            _builder.Append(HtmlEncoder.Default.Encode(value));
    }

    public void AppendFormatted<T>(T value) => AppendFormatted(value, null);

    public void AppendFormatted<T>(T value, string? format)
    {
        var text = value switch
        {
            null => null,
            HtmlString markup => null,
            IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        if (value is HtmlString safe)
            _builder.Append(safe.Value);
        else
            AppendFormatted(text);
    }

    internal HtmlString ToHtml() => new(_builder.ToString());
}

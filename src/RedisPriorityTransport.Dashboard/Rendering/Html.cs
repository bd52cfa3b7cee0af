using System.Runtime.CompilerServices;
using System.Text;

namespace RedisPriorityTransport.Dashboard.Rendering;

/// <summary>
/// Builds a page. <c>Add</c> takes an interpolated string whose literal parts are markup and whose holes are
/// HTML-encoded values, so nothing a message, header or user name contains can become markup.
/// </summary>
internal sealed class Html
{
    internal StringBuilder Builder { get; } = new(4096);

    /// <summary>Appends markup with every hole encoded (except <see cref="HtmlString"/> holes, already safe).</summary>
    public Html Add([InterpolatedStringHandlerArgument("")] ref HtmlInterpolatedStringHandler handler) => this;

    /// <summary>Appends safe markup built elsewhere.</summary>
    public Html Add(HtmlString markup)
    {
        Builder.Append(markup.Value);
        return this;
    }

    /// <summary>The markup so far, as a value another page part can embed.</summary>
    public HtmlString ToHtml() => new(Builder.ToString());

    public override string ToString() => Builder.ToString();

    /// <summary>Builds a fragment in one expression.</summary>
    public static HtmlString Of(ref HtmlInterpolatedStringHandler handler) => handler.ToHtml();
}

namespace RedisPriorityTransport.Dashboard.Rendering;

/// <summary>Markup that is already safe (built by <see cref="Html"/>); appended as is, never encoded again.</summary>
internal readonly record struct HtmlString(string Value)
{
    public static HtmlString Empty { get; } = new("");

    public override string ToString() => Value;
}

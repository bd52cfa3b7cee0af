using System.Text;

namespace RedisPriorityTransport;

/// <summary>
/// The opaque cursor of a browse: the state, and the score and id of the last message examined, base64url-encoded.
/// The state is kept so a cursor cannot continue a browse of another state by mistake.
/// </summary>
internal static class BrowseCursor
{
    public static string Encode(MessageState state, string score, string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{(int)state}:{score}:{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <exception cref="ArgumentException">The cursor was not made by a browse of <paramref name="state"/>.</exception>
    public static (string Score, string Id) Decode(string cursor, MessageState state, string parameterName)
    {
        string text;
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            text = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=')));
        }
        catch (FormatException)
        {
            throw new ArgumentException($"Cursor '{cursor}' is not a browse cursor; pass the NextCursor of a previous page.", parameterName);
        }

        var parts = text.Split(':', 3);
        if (parts.Length != 3 || parts[0] != ((int)state).ToString(System.Globalization.CultureInfo.InvariantCulture)
            || !double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
            || parts[2].Length == 0)
            throw new ArgumentException($"Cursor '{cursor}' does not continue a browse of {state} messages; pass the NextCursor of a previous page of the same state.", parameterName);
        return (parts[1], parts[2]);
    }
}

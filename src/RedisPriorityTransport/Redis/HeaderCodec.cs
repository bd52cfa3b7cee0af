using System.Text;

namespace RedisPriorityTransport.Redis;

/// <summary>
/// Packs headers into one string: per header <c>&lt;bytes&gt;:&lt;name&gt;&lt;bytes&gt;:&lt;value&gt;</c>, lengths in
/// UTF-8 bytes. Lua appends entries in the same form; a later entry overrides an earlier one with the same name.
/// </summary>
internal static class HeaderCodec
{
    public static byte[] Encode(IReadOnlyDictionary<string, string>? headers)
    {
        if (headers is null || headers.Count == 0)
            return [];
        var builder = new MemoryStream();
        foreach (var (name, value) in headers)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException("A header name must not be null or empty.", nameof(headers));
            if (value is null)
                throw new ArgumentException($"Header '{name}' has a null value; use an empty string.", nameof(headers));
            Append(builder, name);
            Append(builder, value);
        }

        return builder.ToArray();
    }

    public static byte[] EncodeOne(string name, string value)
    {
        var builder = new MemoryStream();
        Append(builder, name);
        Append(builder, value);
        return builder.ToArray();
    }

    static void Append(MemoryStream builder, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        builder.Write(Encoding.ASCII.GetBytes(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        builder.WriteByte((byte)':');
        builder.Write(bytes);
    }

    public static Dictionary<string, string> Decode(ReadOnlySpan<byte> packed)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        while (position < packed.Length)
        {
            var name = ReadField(packed, ref position);
            var value = ReadField(packed, ref position);
            headers[name] = value;
        }

        return headers;
    }

    static string ReadField(ReadOnlySpan<byte> packed, ref int position)
    {
        var colon = packed[position..].IndexOf((byte)':');
        if (colon <= 0 || !int.TryParse(Encoding.ASCII.GetString(packed.Slice(position, colon)), out var length)
            || length < 0 || position + colon + 1 + length > packed.Length)
            throw new FormatException($"Packed headers are corrupt at byte {position}.");
        position += colon + 1;
        var text = Encoding.UTF8.GetString(packed.Slice(position, length));
        position += length;
        return text;
    }
}

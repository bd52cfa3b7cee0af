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
        // Measured first, then written into one array: this runs for every message sent.
        var length = 0;
        foreach (var (name, value) in headers)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException("A header name must not be null or empty.", nameof(headers));
            if (value is null)
                throw new ArgumentException($"Header '{name}' has a null value; use an empty string.", nameof(headers));
            length += EncodedLength(name) + EncodedLength(value);
        }

        var packed = new byte[length];
        var position = 0;
        foreach (var (name, value) in headers)
        {
            position = Append(packed, position, name);
            position = Append(packed, position, value);
        }

        return packed;
    }

    public static byte[] EncodeOne(string name, string value)
    {
        var packed = new byte[EncodedLength(name) + EncodedLength(value)];
        Append(packed, Append(packed, 0, name), value);
        return packed;
    }

    static int EncodedLength(string text)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        return DigitCount(bytes) + 1 + bytes;
    }

    static int DigitCount(int value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }

    static int Append(byte[] packed, int position, string text)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        bytes.TryFormat(packed.AsSpan(position), out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        position += digits;
        packed[position++] = (byte)':';
        return position + Encoding.UTF8.GetBytes(text, packed.AsSpan(position));
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
        if (colon <= 0 || !int.TryParse(packed.Slice(position, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length)
            || length < 0 || position + colon + 1 + length > packed.Length)
            throw new FormatException($"Packed headers are corrupt at byte {position}.");
        position += colon + 1;
        var text = Encoding.UTF8.GetString(packed.Slice(position, length));
        position += length;
        return text;
    }
}

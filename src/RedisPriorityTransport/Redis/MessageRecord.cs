using System.Text;

namespace RedisPriorityTransport.Redis;

/// <summary>
/// Reads the stored form of a message: <c>urgency,rank,sequence,enqueuedMs,eventTypeBytes,headerBytes|</c> then the
/// event type, the packed headers and the body (see docs/wire-format.md). The scripts write it.
/// </summary>
internal readonly record struct MessageRecord(Urgency Urgency, int Rank, long Sequence, long EnqueuedMs, string? EventType,
    Dictionary<string, string> Headers, ReadOnlyMemory<byte> Body)
{
    public static bool TryParse(byte[] record, out MessageRecord message, out string? problem)
    {
        message = default;
        var bar = Array.IndexOf(record, (byte)'|');
        if (bar < 0)
        {
            problem = "no '|' ends the record's metadata";
            return false;
        }

        // Six comma-separated numbers, read in place (no strings, no split): this runs for every message received.
        Span<long> fields = stackalloc long[6];
        var metadata = record.AsSpan(0, bar);
        var count = 0;
        while (true)
        {
            var comma = metadata.IndexOf((byte)',');
            var digits = comma < 0 ? metadata : metadata[..comma];
            if (count == fields.Length || digits.Length is 0 or > 18 || !TryParseDigits(digits, out fields[count]))
            {
                problem = "the record's metadata is not six numbers";
                return false;
            }

            count++;
            if (comma < 0)
                break;
            metadata = metadata[(comma + 1)..];
        }

        if (count != 6)
        {
            problem = "the record's metadata is not six numbers";
            return false;
        }

        var (urgency, rank, eventLength, headerLength) = (fields[0], fields[1], fields[4], fields[5]);
        if (!UrgencyScale.IsValid((int)Math.Min(urgency, int.MaxValue)) || rank > PriorityScore.UnrankedRank
            || bar + 1 + eventLength + headerLength > record.Length)
        {
            problem = "the record's metadata is out of range";
            return false;
        }

        try
        {
            var start = bar + 1;
            var eventType = eventLength == 0 ? null : Encoding.UTF8.GetString(record, start, (int)eventLength);
            start += (int)eventLength;
            var headers = HeaderCodec.Decode(record.AsSpan(start, (int)headerLength));
            start += (int)headerLength;
            // The body stays in the reply's array: the transport hands MassTransit a view of it, not a copy.
            message = new MessageRecord((Urgency)urgency, (int)rank, fields[2], fields[3], eventType, headers, record.AsMemory(start));
            problem = null;
            return true;
        }
        catch (FormatException exception)
        {
            problem = exception.Message;
            return false;
        }
    }

    static bool TryParseDigits(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            if (digit is < (byte)'0' or > (byte)'9')
                return false;
            value = value * 10 + (digit - '0');
        }

        return true;
    }
}

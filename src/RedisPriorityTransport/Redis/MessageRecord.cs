using System.Globalization;
using System.Text;

namespace RedisPriorityTransport.Redis;

/// <summary>
/// Reads the stored form of a message: <c>urgency,rank,sequence,enqueuedMs,eventTypeBytes,headerBytes|</c> then the
/// event type, the packed headers and the body (see docs/wire-format.md). The scripts write it.
/// </summary>
internal readonly record struct MessageRecord(Urgency Urgency, int Rank, long Sequence, long EnqueuedMs, string? EventType,
    Dictionary<string, string> Headers, byte[] Body)
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

        var fields = Encoding.ASCII.GetString(record, 0, bar).Split(',');
        if (fields.Length != 6 || !fields.All(f => f.Length > 0 && f.All(char.IsAsciiDigit)))
        {
            problem = "the record's metadata is not six numbers";
            return false;
        }

        long Field(int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
        var (urgency, rank, eventLength, headerLength) = (Field(0), Field(1), Field(4), Field(5));
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
            message = new MessageRecord((Urgency)urgency, (int)rank, Field(2), Field(3), eventType, headers, record[start..]);
            problem = null;
            return true;
        }
        catch (FormatException exception)
        {
            problem = exception.Message;
            return false;
        }
    }
}

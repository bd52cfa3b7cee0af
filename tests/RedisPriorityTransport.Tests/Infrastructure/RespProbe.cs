using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RedisPriorityTransport.Tests.Infrastructure;

/// <summary>
/// Sends one command to a loopback Redis over a fresh TCP connection, outside StackExchange.Redis, so fixtures can
/// probe and administer servers (PING while loading, SHUTDOWN, CLUSTER INFO) without a multiplexer's reconnect logic.
/// </summary>
public static class RespProbe
{
    /// <summary>
    /// Sends <paramref name="command"/> and returns the reply as text: a status or bulk string as is, an error as
    /// <c>-ERR …</c>, an integer in decimal, an array as its items on separate lines.
    /// </summary>
    public static async Task<string> SendAsync(int port, params string[] command)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await using var stream = client.GetStream();
        var request = new StringBuilder().Append('*').Append(command.Length).Append("\r\n");
        foreach (var part in command)
            request.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), timeout.Token);
        var reader = new BufferedStream(stream);
        return await ReadReplyAsync(reader, timeout.Token);
    }

    static async Task<string> ReadReplyAsync(Stream reader, CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(reader, cancellationToken);
        var rest = line[1..];
        switch (line[0])
        {
            case '+':
            case ':':
                return rest;
            case '-':
                return line;
            case '$':
            {
                var length = int.Parse(rest, CultureInfo.InvariantCulture);
                if (length < 0)
                    return string.Empty;
                var buffer = new byte[length + 2];
                await reader.ReadExactlyAsync(buffer, cancellationToken);
                return Encoding.UTF8.GetString(buffer, 0, length);
            }
            case '*':
            {
                var count = int.Parse(rest, CultureInfo.InvariantCulture);
                var items = new List<string>();
                for (var i = 0; i < count; i++)
                    items.Add(await ReadReplyAsync(reader, cancellationToken));
                return string.Join('\n', items);
            }
            default:
                throw new InvalidDataException($"Unexpected reply line '{line}'.");
        }
    }

    static async Task<string> ReadLineAsync(Stream reader, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            await reader.ReadExactlyAsync(one, cancellationToken);
            if (one[0] == '\n' && bytes.Count > 0 && bytes[^1] == '\r')
                return Encoding.UTF8.GetString(bytes.ToArray(), 0, bytes.Count - 1);
            bytes.Add(one[0]);
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace RedisPriorityTransport.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder on a free loopback port in front of one Redis, so a test can make that Redis unreachable for the
/// clients behind the proxy only: <see cref="Cut"/> drops their connections and refuses new ones until
/// <see cref="Restore"/>, while other clients keep talking to Redis directly.
/// </summary>
public sealed class LoopbackTcpProxy : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly int _targetPort;
    readonly CancellationTokenSource _stop = new();
    readonly List<TcpClient> _open = [];
    readonly Task _acceptLoop;
    volatile bool _cut;

    LoopbackTcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _acceptLoop = Task.Run(AcceptAsync);
    }

    /// <summary>The proxy's port.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The configuration string that reaches Redis through the proxy.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>Starts forwarding to the Redis on <paramref name="targetPort"/>.</summary>
    public static LoopbackTcpProxy Start(int targetPort) => new(targetPort);

    /// <summary>Closes every forwarded connection and refuses new ones: Redis is unreachable through the proxy.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var socket in _open)
                socket.Dispose();
            _open.Clear();
        }
    }

    /// <summary>Forwards new connections again.</summary>
    public void Restore() => _cut = false;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _acceptLoop;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            if (_cut)
            {
                client.Dispose();
                continue;
            }

            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            }
            catch (SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }

            lock (_open)
            {
                _open.Add(client);
                _open.Add(upstream);
            }

            _ = PumpAsync(client, upstream);
            _ = PumpAsync(upstream, client);
        }
    }

    // Copies one direction until either side closes, then closes both.
    static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // A cut or a closed peer.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}

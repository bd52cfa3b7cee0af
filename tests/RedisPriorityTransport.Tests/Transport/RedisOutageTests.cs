using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MassTransit;
using MassTransit.Testing;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Transport;

public class RedisOutageTests : TransportTestBase
{
    [Fact]
    public async Task A_bus_started_while_Redis_is_down_receives_once_Redis_is_up()
    {
        // The port stays bound (not listening) until Redis starts on it: connecting is refused, and neither a server
        // another test starts nor the client's own reconnects (a connection whose source port happens to be the one it
        // dials connects to itself) can take it meanwhile.
        using var reservation = ReserveLoopbackPort();
        var port = ((IPEndPoint)reservation.LocalEndPoint!).Port;
        var starting = StartHarness(x => x.AddConsumer<InvoiceConsumer>(),
            (context, cfg) => cfg.Host($"127.0.0.1:{port},connectTimeout=500", h => h.KeyPrefix = KeyPrefix));

        // The bus tries and fails to reach the missing server: its endpoints report themselves unhealthy, and the bus
        // does not report itself started.
        await Eventually.HoldsAsync(() => Task.FromResult(Harness.Bus is IBusControl bus
                && bus.CheckHealth().Endpoints.Values.Any(e => e.Description?.Contains("unreachable", StringComparison.OrdinalIgnoreCase) == true)),
            TimeSpan.FromSeconds(30), "an endpoint to report Redis unreachable");
        if (starting.IsCompleted)
        {
            string probe;
            try
            {
                probe = await RespProbe.SendAsync(port, "PING");
            }
            catch (Exception exception)
            {
                probe = exception.Message;
            }

            Assert.Fail($"The bus reported itself started although Redis was not running: start {starting.Status} "
                + $"({starting.Exception?.GetBaseException().Message}); PING on port {port}: {probe}");
        }

        reservation.Dispose();
        using var server = StartRedis(port);
        try
        {
            await starting.WaitAsync(TimeSpan.FromSeconds(60));
            await Harness.Bus.Publish(new InvoiceRequested("after outage"));
            // The connection made while Redis was down is kept and reconnects by itself; its wake-up subscription may
            // come back a little after the bus started, so allow for the fallback poll.
            await Eventually.HoldsAsync(() => Task.FromResult(Harness.Consumed.Select<InvoiceRequested>(x => x.Context.Message.OrderId == "after outage").Any()),
                TimeSpan.FromSeconds(30), "the message published after the outage to be consumed");
            Assert.Equal(BusHealthStatus.Healthy, ((IBusControl)Harness.Bus).CheckHealth().Status);

            // One connection (its interactive and subscription sockets), not one more for every failed start attempt:
            // a connection left behind by a retry would reconnect now that Redis is up. Watched for three seconds.
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var most = 0;
            while (watch.Elapsed < TimeSpan.FromSeconds(3))
            {
                var clients = (await RespProbe.SendAsync(port, "CLIENT", "LIST")).Split('\n').Count(l => l.Contains("addr=") && !l.Contains("cmd=client"));
                most = Math.Max(most, clients);
                await Task.Delay(100);
            }

            Assert.True(most <= 2, $"The bus holds {most} connections to Redis: a connection was leaked while Redis was down.");
            await Harness.Stop();
        }
        finally
        {
            if (!server.HasExited)
                server.Kill();
        }
    }

    static Socket ReserveLoopbackPort()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    static Process StartRedis(int port)
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }
}

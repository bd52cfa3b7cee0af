using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MassTransit;
using MassTransit.Testing;

namespace RedisPriorityTransport.Tests.Transport;

public class RedisOutageTests : TransportTestBase
{
    [Fact]
    public async Task A_bus_started_while_Redis_is_down_receives_once_Redis_is_up()
    {
        var port = FreeLoopbackPort();
        var starting = StartHarness(x => x.AddConsumer<InvoiceConsumer>(),
            (context, cfg) => cfg.Host($"127.0.0.1:{port},connectTimeout=500", h => h.KeyPrefix = KeyPrefix));

        // Let the bus try (and fail) to reach the missing server before it exists.
        await Task.WhenAny(starting, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.False(starting.IsCompletedSuccessfully, "The bus reported itself started although Redis was not running.");

        using var server = StartRedis(port);
        try
        {
            await starting.WaitAsync(TimeSpan.FromSeconds(60));
            await Harness.Bus.Publish(new InvoiceRequested("after outage"));
            Assert.True(await Harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "after outage"));
            await Harness.Stop();
        }
        finally
        {
            if (!server.HasExited)
                server.Kill();
        }
    }

    static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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

using System.Globalization;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Transport;

/// <summary>
/// A transport test on a redis-server of its own: for tests that break a queue's keys for a while or read server-wide
/// statistics (error and command counts), which tests sharing a server would disturb.
/// </summary>
public abstract class OwnServerTransportTestBase : TransportTestBase
{
    readonly OwnServer _server;

    protected OwnServerTransportTestBase()
        : this(new OwnServer())
    {
    }

    OwnServerTransportTestBase(OwnServer server)
        : base(server.StartAsync) => _server = server;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server.Process is { } process)
            await process.DisposeAsync();
    }

    /// <summary>How many replies of the server have been errors with this code so far (<c>INFO errorstats</c>).</summary>
    protected async Task<long> ServerErrors(string code)
    {
        var info = (string?)await Database.ExecuteAsync("INFO", "errorstats") ?? "";
        var prefix = $"errorstat_{code}:count=";
        var line = info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[prefix.Length..].Split(',')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>How many calls of this command have failed so far, scripts' own calls included (<c>INFO commandstats</c>).</summary>
    protected async Task<long> FailedCalls(string command)
    {
        var info = (string?)await Database.ExecuteAsync("INFO", "commandstats") ?? "";
        var line = info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith($"cmdstat_{command}:", StringComparison.Ordinal));
        var field = line?.Split(',').FirstOrDefault(f => f.StartsWith("failed_calls=", StringComparison.Ordinal));
        return field is null ? 0 : long.Parse(field["failed_calls=".Length..], CultureInfo.InvariantCulture);
    }

    sealed class OwnServer
    {
        public LocalRedisProcess? Process { get; private set; }

        public async Task<RedisServerHandle> StartAsync()
        {
            Process = await LocalRedisProcess.StartAsync();
            return await RedisServerHandle.ConnectAsync(Process.Configuration, $"redis-server pid {Process.ProcessId}", null);
        }
    }
}

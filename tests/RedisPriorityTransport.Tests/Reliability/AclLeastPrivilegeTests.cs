using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Reliability;

/// <summary>
/// The engine works for a Redis ACL user limited to its key prefix, its channels and the commands it needs (the rule
/// documented in docs/security.md), and that user can touch nothing else.
/// </summary>
public sealed class AclLeastPrivilegeTests(ITestOutputHelper output) : DedicatedRedisTestBase
{
    internal const string User = "rpt-app";
    internal const string Password = "correct-horse-battery-staple";
    internal const string Prefix = "app:";

    /// <summary>
    /// The ACL rule of docs/security.md, after <c>ACL SETUSER &lt;user&gt; on &gt;&lt;password&gt;</c>: keys and channels
    /// under the prefix, and only the commands the engine's scripts and client send.
    /// </summary>
    internal static readonly string[] Rule =
    [
        "resetkeys", "~" + Prefix + "*", "resetchannels", "&" + Prefix + "*", "-@all",
        // Sent by the client: scripts, peek and delete, wake-up subscriptions, and StackExchange.Redis's PING and ECHO checks.
        "+evalsha", "+eval", "+zrange", "+del", "+subscribe", "+unsubscribe", "+ping", "+echo",
        // The queue registry of the admin API: a queue lists itself when opened and unlists itself when deleted.
        "+sadd", "+srem",
        // Called inside the scripts (Redis checks every command a script runs against the caller's ACL).
        "+time", "+incr", "+incrby", "+exists", "+publish", "+unlink",
        "+hset", "+hsetnx", "+hget", "+hmget", "+hdel", "+hexists", "+hincrby", "+hlen",
        "+zadd", "+zrem", "+zscore", "+zcard", "+zcount", "+zrangebyscore", "+zpopmin", "+hgetall",
        // Sent by a MassTransit bus: topic subscriptions (one set per topic) and their version, read on every publish.
        "+sadd", "+srem", "+smembers", "+get",
    ];

    [RedisFact]
    public async Task The_engine_works_for_a_user_limited_to_its_prefix_and_commands()
    {
        await Server.CommandAsync(["ACL", "SETUSER", User, "on", ">" + Password, .. Rule]);
        await Server.CommandAsync("ACL", "LOG", "RESET");
        var settings = new PriorityQueueSettings { KeyPrefix = Prefix, MaxDeliveryCount = 1 };
        var (queue, _) = await OpenQueueAsync("rpt-acl", "orders", settings, LimitedUser);
        var (waker, _) = await OpenQueueAsync("rpt-acl-waker", "orders", settings, LimitedUser);

        // Every operation of the engine once.
        await queue.EnqueueBatchAsync([Message("a", 9), Message("b", 5), Message("c", 1), Message("d", 1)]);
        await queue.EnqueueAsync(new QueueMessage("later", new byte[1]) { Delay = TimeSpan.FromMinutes(5) });
        Assert.True(await queue.ChangePriorityAsync("c", new MessagePriority(Urgency.Critical)));
        Assert.True(await queue.CancelAsync("later"));
        Assert.Equal(["c", "a", "b", "d"], await queue.PeekAsync(10));
        var reserved = (await queue.ReserveAsync(3, TimeSpan.FromMinutes(1))).Messages;
        Assert.True(await queue.RenewLeaseAsync("c", reserved[0].LeaseToken, TimeSpan.FromMinutes(2)));
        Assert.True(await queue.AcknowledgeAsync("c", reserved[0].LeaseToken));
        Assert.NotNull(await queue.MoveAsync("a", reserved[1].LeaseToken, queue.SkippedQueueName, "acl test"));
        Assert.True(await queue.ReleaseAsync("b", reserved[2].LeaseToken));
        var expiring = (await queue.ReserveAsync(1, TimeSpan.FromMilliseconds(100))).Messages.Single();
        await Eventually.HoldsAsync(async () => (await queue.ReclaimExpiredAsync()).DeadLettered == 1, TimeSpan.FromSeconds(30),
            $"{expiring.Id} to expire into the error queue");
        var counts = await queue.GetCountsAsync();
        Assert.Equal((1L, 0L), (counts.Ready, counts.InFlight));
        var waiting = queue.ReserveOrWaitAsync(10, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));
        await waker.EnqueueAsync(Message("e", 5));
        Assert.NotEmpty((await waiting).Messages);
        Assert.Equal(2, await queue.PurgeAsync());
        await queue.DeleteAsync();

        var log = (await Server.CommandAsync("ACL", "LOG")).Split('\n');
        var denials = string.Join(", ", log.Select((line, i) => (line, i)).Where(x => x.line == "object").Select(x => log[x.i + 1]).Distinct());
        output.WriteLine($"ACL rule: ACL SETUSER {User} on >*** {string.Join(' ', Rule)}");
        output.WriteLine($"every engine operation ran as {User}; ACL LOG: {(denials.Length == 0 ? "empty (nothing denied)" : string.Join(" ", log))}");
        Assert.Equal(string.Empty, denials);
        Assert.Contains("user=" + User, await Server.CommandAsync("CLIENT", "LIST"));
    }

    [RedisFact]
    public async Task The_limited_user_cannot_touch_keys_channels_or_commands_outside_its_grant()
    {
        await Server.CommandAsync(["ACL", "SETUSER", User, "on", ">" + Password, .. Rule]);
        await Server.CommandAsync("SET", "other:secret", "untouched");
        // A plain client (no command map): the server's ACL alone must refuse.
        var (_, connection) = await OpenQueueAsync("rpt-acl", "orders", new PriorityQueueSettings { KeyPrefix = Prefix }, options =>
        {
            options.User = User;
            options.Password = Password;
        });
        var (foreign, _) = await OpenQueueAsync("rpt-acl-foreign", "orders", new PriorityQueueSettings { KeyPrefix = "rpt:" }, LimitedUser);
        var database = connection.GetDatabase();

        var refusals = new List<(string What, Exception Error)>
        {
            ("GET other:secret", await Assert.ThrowsAsync<RedisServerException>(() => database.StringGetAsync("other:secret"))),
            ("SET other:secret", await Assert.ThrowsAsync<RedisServerException>(() => database.StringSetAsync("other:secret", "changed"))),
            ("EVAL touching other:secret", await Assert.ThrowsAsync<RedisServerException>(() =>
                database.ScriptEvaluateAsync("return redis.call('SET', KEYS[1], 'changed')", ["other:secret"]))),
            ("EVAL reaching outside KEYS", await Assert.ThrowsAsync<RedisServerException>(() =>
                database.ScriptEvaluateAsync("return redis.call('HSET', 'other:hash', 'f', 'v')", [Prefix + "x"]))),
            ("EVAL of an ungranted command", await Assert.ThrowsAsync<RedisServerException>(() =>
                database.ScriptEvaluateAsync("return redis.call('SET', KEYS[1], 'v')", [Prefix + "x"]))),
            ("PUBLISH other:channel", await Assert.ThrowsAsync<RedisServerException>(() =>
                database.PublishAsync(RedisChannel.Literal("other:channel"), "x"))),
            ("FLUSHALL", await Assert.ThrowsAsync<RedisServerException>(() => database.ExecuteAsync("FLUSHALL"))),
            ("KEYS *", await Assert.ThrowsAsync<RedisServerException>(() => database.ExecuteAsync("KEYS", "*"))),
            ("a queue under the default prefix rpt:", await Assert.ThrowsAsync<RedisServerException>(() => foreign.EnqueueAsync(Message("x", 5)))),
        };

        foreach (var (what, error) in refusals)
            output.WriteLine($"{what}: {error.Message}");
        // Commands refused inside a script come back as "ERR The user executing the script can't …".
        Assert.All(refusals, refusal => Assert.Matches("^(NOPERM|ERR The user executing the script can't)", refusal.Error.Message));
        Assert.Equal("untouched", await Server.CommandAsync("GET", "other:secret"));
        Assert.Equal("0", await Server.CommandAsync("EXISTS", "other:hash"));
    }

    [RedisFact]
    public async Task A_failed_connect_does_not_reveal_the_password()
    {
        // A loopback port nothing listens on: the connect fails and the exception describes the configuration.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        const string password = "not-to-be-seen-7f3a";

        var failed = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisPriorityQueue.ConnectAsync(
            $"127.0.0.1:{closedPort},user={User},password={password},abortConnect=true,connectTimeout=2000", "orders"));

        output.WriteLine($"failed connect: {failed.GetType().Name}: {failed.Message}");
        Assert.DoesNotContain(password, failed.ToString());
    }

    /// <summary>
    /// The client settings of docs/security.md: no tie-breaker GET, no configuration channel, and none of the
    /// handshake commands the user is not granted (StackExchange.Redis would otherwise try and tolerate the refusals).
    /// </summary>
    internal const string LeastPrivilegeOptions = "tiebreaker=,configChannel=,setlib=false,$INFO=,$CONFIG=,$CLUSTER=,$CLIENT=,$SCRIPT=,$SET=";

    static void LimitedUser(ConfigurationOptions options)
    {
        var leastPrivilege = ConfigurationOptions.Parse("127.0.0.1:1," + LeastPrivilegeOptions);
        options.User = User;
        options.Password = Password;
        options.TieBreaker = leastPrivilege.TieBreaker;
        options.ConfigurationChannel = leastPrivilege.ConfigurationChannel;
        options.SetClientLibrary = leastPrivilege.SetClientLibrary;
        options.CommandMap = leastPrivilege.CommandMap;
        options.ClientName = null;
    }

    static QueueMessage Message(string id, int urgency) => new(id, new byte[] { 1 }, new MessagePriority((Urgency)urgency));
}

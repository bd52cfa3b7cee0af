using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RedisPriorityTransport.Dashboard.Security;
using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisPriorityTransport.Dashboard.Tests;

/// <summary>
/// Role changes, their audit and the history page's reads work for a Redis user limited to the admin rule of
/// docs/security.md, with the client settings it documents, and leave nothing in <c>ACL LOG</c>. Also pages the history.
/// </summary>
public sealed class RoleAuditAclTests
{
    [Fact]
    public async Task Role_changes_and_their_history_work_under_the_admin_acl_rule_and_page_newest_first()
    {
        var redis = await RedisTestServer.GetAsync();
        var prefix = RedisTestServer.NewKeyPrefix();
        var user = "dash-" + Guid.NewGuid().ToString("N")[..8];
        const string password = "correct-horse-battery-staple";
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        string[] rule =
        [
            "resetkeys", "~" + prefix + "*", "resetchannels", "&" + prefix + "*", "-@all",
            "+evalsha", "+eval", "+zrange", "+del", "+subscribe", "+unsubscribe", "+ping", "+echo", "+sadd", "+srem",
            "+time", "+incr", "+incrby", "+exists", "+publish", "+unlink", "+hset", "+hsetnx", "+hget", "+hmget", "+hdel", "+hexists", "+hincrby", "+hlen",
            "+zadd", "+zrem", "+zscore", "+zcard", "+zcount", "+zrangebyscore", "+zpopmin", "+hgetall", "+smembers", "+get",
            // The admin's additions.
            "+sismember", "+zrank", "+zremrangebyrank", "+xadd", "+xtrim", "+xrange", "+xrevrange", "+hrandfield", "+memory|usage",
        ];
        await server.ExecuteAsync("ACL", ["SETUSER", user, "on", ">" + password, .. rule]);
        try
        {
            var options = Options.Create(new DashboardOptions
            {
                KeyPrefix = prefix,
                RedisConfiguration = redis.Configuration + $",user={user},password={password},tiebreaker=,configChannel=,setlib=false," +
                    "$INFO=,$CONFIG=,$CLUSTER=,$CLIENT=,$SCRIPT=,$SET=",
            });
            using var assignments = new RoleAssignments(new ServiceCollection().BuildServiceProvider(), options);

            Assert.True(await assignments.ChangeAsync("ada", "rhea", DashboardRole.Viewer, "on call"));
            Assert.True(await assignments.ChangeAsync("ada", "rhea", DashboardRole.Admin, null));
            Assert.False(await assignments.ChangeAsync("bob", "rhea", DashboardRole.Admin, "again"));
            Assert.True(await assignments.ChangeAsync("bob", "ivo", DashboardRole.Operator, null));
            Assert.True(await assignments.ChangeAsync("bob", "rhea", DashboardRole.None, "left"));
            Assert.False(await assignments.ChangeAsync("bob", "rhea", DashboardRole.None, "left again"));
            Assert.Equal(DashboardRole.None, await assignments.GetAsync("rhea"));
            Assert.Equal([("ivo", DashboardRole.Operator)], await assignments.ListAsync());

            // Four changes, two a page, newest first.
            var (first, cursor) = await assignments.HistoryAsync(null, 2);
            Assert.Equal([("bob", "rhea", DashboardRole.Admin, DashboardRole.None, "left"), ("bob", "ivo", DashboardRole.None, DashboardRole.Operator, null)],
                first.Select(c => (c.Actor, c.User, c.From, c.To, c.Reason)));
            Assert.NotNull(cursor);
            var (second, end) = await assignments.HistoryAsync(cursor, 2);
            Assert.Equal([("ada", "rhea", DashboardRole.Viewer, DashboardRole.Admin, null), ("ada", "rhea", DashboardRole.None, DashboardRole.Viewer, "on call")],
                second.Select(c => (c.Actor, c.User, c.From, c.To, c.Reason)));
            Assert.Null(end);
            Assert.True(second[0].Time <= first[1].Time);
            foreach (var bad in new[] { "not-an-id", "0-0", "1-", "-1", "18446744073709551616-0" })
                await Assert.ThrowsAsync<ArgumentException>(() => assignments.HistoryAsync(bad, 2));
            Assert.Empty((await assignments.HistoryAsync("0-1", 2)).Entries);

            var log = (RedisResult[])(await server.ExecuteAsync("ACL", "LOG"))!;
            var denials = log.Select(entry => entry.ToDictionary()).Where(entry => (string?)entry["username"] == user)
                .Select(entry => $"{entry["reason"]} {entry["object"]}").ToList();
            Assert.Empty(denials);
        }
        finally
        {
            await server.ExecuteAsync("ACL", "DELUSER", user);
        }
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Dashboard.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Dashboard.Tests;

/// <summary>
/// Behind a reverse proxy that strips a prefix and says so in <c>X-Forwarded-Prefix</c> (ASP.NET Core's
/// <c>UseForwardedHeaders</c> turns it into the path base), every link, form, asset, redirect and cookie of the
/// dashboard carries the prefix, so the browser's next request goes through the proxy again.
/// </summary>
public sealed partial class ForwardedPrefixTests : IAsyncLifetime
{
    const string Prefix = "/ops";
    const string Queue = "proxied";
    WebApplication? _app;
    RedisPriorityQueue? _queue;
    string _origin = "";
    string _errorId = "";
    readonly string _keyPrefix = RedisTestServer.NewKeyPrefix();

    public async Task InitializeAsync()
    {
        var redis = await RedisTestServer.GetAsync();
        var settings = new PriorityQueueSettings { KeyPrefix = _keyPrefix };
        _queue = new RedisPriorityQueue(redis.Connection, Queue, settings);
        await _queue.EnqueueBatchAsync([new QueueMessage("waits", "w"u8.ToArray(), new MessagePriority(Urgency.Normal)),
            new QueueMessage("fails", "f"u8.ToArray(), new MessagePriority(Urgency.High))]);
        var held = (await _queue.ReserveAsync(1, TimeSpan.FromMinutes(1))).Messages.Single();
        _errorId = (await _queue.MoveAsync(held.Id, held.LeaseToken, _queue.ErrorQueueName, "handler threw"))!;

        var builder = TestDashboardHost.CreateBuilder();
        builder.Services.AddSingleton(PriorityQueueAdmin.Create(redis.Connection, settings));
        builder.Services.AddRedisPriorityDashboard(o =>
        {
            o.KeyPrefix = settings.KeyPrefix;
            o.RedisConfiguration = redis.Configuration;
        });

        _app = builder.Build();
        // As README.md's dashboard section says: the proxy on loopback is a known proxy by default.
        _app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedPrefix });
        _app.UseRouting();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapRedisPriorityDashboard("/priority").RequireAuthorization();
        await _app.StartAsync();
        _origin = TestDashboardHost.OriginOf(_app);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        if (_queue is not null)
        {
            await _queue.DisposeAsync();
            var redis = await RedisTestServer.GetAsync();
            foreach (var key in redis.Connection.GetServers().SelectMany(server => server.Keys(pattern: _keyPrefix + "*")))
                await redis.Connection.GetDatabase().KeyDeleteAsync(key);
        }
    }

    [Fact]
    public async Task Links_forms_assets_redirects_and_the_antiforgery_cookie_carry_the_forwarded_prefix()
    {
        using var client = Client();
        foreach (var page in new[] { "/priority", $"/priority/queues/{Queue}?state=error", $"/priority/queues/{Queue}/messages/{Uri.EscapeDataString(_errorId)}",
                     $"/priority/queues/{Queue}/history", "/priority/users" })
        {
            var html = await GetPageAsync(client, page, forwarded: true);
            var paths = Paths(html);
            Assert.NotEmpty(paths);
            Assert.All(paths, path => Assert.StartsWith(Prefix + "/priority/", path + "/"));
        }

        // The same page without the header: the links follow the path base, not a fixed prefix.
        Assert.All(Paths(await GetPageAsync(client, "/priority", forwarded: false)), path => Assert.StartsWith("/priority", path));

        // The proxy strips the prefix again: an asset link, minus the prefix, is served.
        var queuePage = await client.SendAsync(Request(HttpMethod.Get, $"/priority/queues/{Queue}", forwarded: true));
        var queueHtml = await queuePage.Content.ReadAsStringAsync();
        var stylesheet = Paths(queueHtml).Single(path => path.Contains("/assets/dashboard.css", StringComparison.Ordinal));
        var asset = await client.SendAsync(Request(HttpMethod.Get, stylesheet[Prefix.Length..], forwarded: true));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);

        // The antiforgery cookie is scoped to the prefix the browser sees, and a POST redirects under it.
        var cookie = Assert.Single(queuePage.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Contains("path=" + Prefix, cookie, StringComparison.OrdinalIgnoreCase);
        var token = TokenField().Match(queueHtml).Groups[1].Value;
        var pause = Request(HttpMethod.Post, $"/priority/queues/{Queue}/pause", forwarded: true);
        pause.Headers.Add("Cookie", cookie.Split(';')[0]);
        pause.Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("reason", "behind the proxy")]);
        var response = await client.SendAsync(pause);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.StartsWith($"{Prefix}/priority/queues/{Queue}?", response.Headers.Location!.OriginalString);
    }

    HttpClient Client()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        client.DefaultRequestHeaders.Add(TestAuthenticationHandler.UserHeader, "ada");
        client.DefaultRequestHeaders.Add(TestAuthenticationHandler.RolesHeader, "admin");
        return client;
    }

    HttpRequestMessage Request(HttpMethod method, string path, bool forwarded)
    {
        var request = new HttpRequestMessage(method, _origin + path);
        if (forwarded)
            request.Headers.Add("X-Forwarded-Prefix", Prefix);
        return request;
    }

    async Task<string> GetPageAsync(HttpClient client, string path, bool forwarded)
    {
        var response = await client.SendAsync(Request(HttpMethod.Get, path, forwarded));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Every site-relative URL the page links, posts or loads (href, action, src), decoded.</summary>
    static List<string> Paths(string html) =>
        UrlAttribute().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Where(url => url.StartsWith('/')).ToList();

    [GeneratedRegex("(?:href|action|src)=\"([^\"]*)\"")]
    private static partial Regex UrlAttribute();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

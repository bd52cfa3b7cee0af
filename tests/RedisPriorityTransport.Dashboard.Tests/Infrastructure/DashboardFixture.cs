using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Dashboard.Tests.Infrastructure;

/// <summary>
/// One dashboard host and one browser for all the browser tests: a real Redis (the tests' shared server, a key prefix of
/// its own), a UsingRedis bus with a slow consumer (concurrency 1) on each test queue, the dashboard mounted at
/// <c>/priority</c> under the path base <c>/ops</c> on Kestrel on a free loopback port, and Debian's Chromium.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>Where Debian's package puts Chromium; nothing is downloaded at run time.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The path base the host runs under, to prove every link follows it.</summary>
    public const string PathBase = "/ops";

    /// <summary>Queues with a consumer; each test uses its own.</summary>
    public static readonly string[] ConsumedQueues = ["rush", "retry", "pausing", "roles", "viewer", "showcase-orders", "showcase-webhooks", "showcase-reports"];

    /// <summary>A queue whose consumer always fails, so its messages wait in the error queue.</summary>
    public const string FailingQueue = "hostile";

    WebApplication? _app;
    IPlaywright? _playwright;

    public string KeyPrefix { get; } = RedisTestServer.NewKeyPrefix();

    public RedisServerHandle Redis { get; private set; } = null!;

    public WorkLog Log { get; } = new();

    /// <summary>The dashboard's address, for example <c>http://127.0.0.1:41234/ops/priority</c>.</summary>
    public string DashboardUrl { get; private set; } = "";

    public IServiceProvider Services => _app!.Services;

    public IPriorityQueueAdmin Admin => Services.GetRequiredService<IPriorityQueueAdmin>();

    public IBus Bus => Services.GetRequiredService<IBus>();

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Fail loudly, never skip: a machine without Chromium must not pass these tests by not running them.
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The dashboard's browser tests need Chromium at {ChromiumPath} and it is missing. Install it: apt-get install -y --no-install-recommends chromium (.ci/run does).");
        }

        Redis = await RedisTestServer.GetAsync();
        var builder = TestDashboardHost.CreateBuilder();
        // Only the dashboard's own failures are printed; the consumers fail on purpose.
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Error).AddFilter("MassTransit", LogLevel.None);
        builder.Services.AddSingleton(Log);
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<WorkConsumer>();
            x.AddConsumer<HostileConsumer>();
            x.UsingRedis((context, cfg) =>
            {
                cfg.Host(Redis.Configuration, h => h.KeyPrefix = KeyPrefix);
                foreach (var queue in ConsumedQueues)
                {
                    cfg.ReceiveEndpoint(queue, e =>
                    {
                        e.ConcurrentMessageLimit = 1;
                        e.ConfigureConsumer<WorkConsumer>(context);
                    });
                }

                cfg.ReceiveEndpoint(FailingQueue, e =>
                {
                    e.ConcurrentMessageLimit = 1;
                    e.ConfigureConsumer<HostileConsumer>(context);
                });
            });
        });
        // Fresh memory figures for the screenshots (the default reuses a sample for 30 s).
        builder.Services.Configure<PriorityQueueAdminOptions>(o => o.MemoryCacheDuration = TimeSpan.FromSeconds(1));
        builder.Services.AddRedisPriorityDashboard(o =>
        {
            o.KeyPrefix = KeyPrefix;
            o.RedisConfiguration = Redis.Configuration;
            o.RefreshSeconds = 2;
            o.PageSize = 25;
        });

        _app = builder.Build();
        _app.UsePathBase(PathBase);
        // Under a path base, routing must run after it (ASP.NET Core adds it first otherwise).
        _app.UseRouting();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapRedisPriorityDashboard("/priority").RequireAuthorization();
        await _app.StartAsync();

        DashboardUrl = TestDashboardHost.OriginOf(_app) + PathBase + "/priority";

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Args = ["--no-sandbox"],
            Headless = true,
        });
    }

    /// <summary>A fresh browser context signed in as <paramref name="user"/> with <paramref name="roles"/> (claims).</summary>
    public async Task<IPage> NewPageAsync(string user, params string[] roles)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            ExtraHTTPHeaders = new Dictionary<string, string>
            {
                [TestAuthenticationHandler.UserHeader] = user,
                [TestAuthenticationHandler.RolesHeader] = string.Join(",", roles),
            },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    /// <summary>An HTTP client that signs in as the given user (null: anonymous) and does not follow redirects.</summary>
    public HttpClient NewClient(string? user, params string[] roles)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add(TestAuthenticationHandler.UserHeader, user);
            client.DefaultRequestHeaders.Add(TestAuthenticationHandler.RolesHeader, string.Join(",", roles));
        }

        return client;
    }

    /// <summary>Sends <paramref name="items"/> to <paramref name="queue"/> in order.</summary>
    public async Task SendAsync(string queue, IEnumerable<WorkItem> items, Action<SendContext>? configure = null)
    {
        var endpoint = await Bus.GetSendEndpoint(new Uri("queue:" + queue));
        foreach (var item in items)
            await endpoint.Send(item, context => configure?.Invoke(context));
    }

    /// <summary>Sends one message with a known MessageId and returns it.</summary>
    public async Task<string> SendOneAsync<T>(string queue, T message, Action<SendContext>? configure = null)
        where T : class
    {
        var id = NewId.NextGuid();
        var endpoint = await Bus.GetSendEndpoint(new Uri("queue:" + queue));
        await endpoint.Send(message, context =>
        {
            context.MessageId = id;
            configure?.Invoke(context);
        });
        return id.ToString();
    }

    /// <summary>Collects the browser's console errors and dialogs, so a test can prove no script ran and no CSP rule broke.</summary>
    public static List<string> WatchForTrouble(IPage page)
    {
        var trouble = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                lock (trouble) trouble.Add("console: " + message.Text);
        };
        page.Dialog += async (_, dialog) =>
        {
            lock (trouble) trouble.Add("dialog: " + dialog.Message);
            await dialog.DismissAsync();
        };
        page.PageError += (_, error) =>
        {
            lock (trouble) trouble.Add("page error: " + error);
        };
        return trouble;
    }

    /// <summary>
    /// The id the admin API knows the message by, waiting (10 s at most) until the message sent with MassTransit
    /// <c>MessageId</c> <paramref name="messageId"/> is in <paramref name="state"/>. (The queue's own id may differ from the
    /// MassTransit MessageId; the MessageId header is matched.)
    /// </summary>
    public async Task<string> QueueIdAsync(string queue, MessageState state, string messageId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            string? cursor = null;
            do
            {
                var page = await Admin.BrowseAsync(queue, state, cursor: cursor, pageSize: 500);
                foreach (var summary in page.Messages)
                {
                    if (summary.MessageId == messageId)
                        return summary.MessageId;
                    var details = await Admin.GetMessageAsync(queue, summary.MessageId);
                    if (details.Headers.TryGetValue("MessageId", out var header) && string.Equals(header, messageId, StringComparison.OrdinalIgnoreCase))
                        return summary.MessageId;
                }

                cursor = page.NextCursor;
            }
            while (cursor is not null);

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No {state} message in '{queue}' has MessageId {messageId}.");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// The audit of role changes as it is in Redis (<c>{prefix}{dashboard}:audit</c>), read directly, oldest first: the
    /// tests check what the dashboard wrote, not what it shows.
    /// </summary>
    public async Task<StackExchange.Redis.StreamEntry[]> RoleAuditAsync() =>
        await Redis.Connection.GetDatabase().StreamRangeAsync(KeyPrefix + "{dashboard}:audit");

    /// <summary>Saves a full-page screenshot under artifacts/screenshots of the repository.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RedisPriorityTransport.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("RedisPriorityTransport.sln not found above the test binaries.");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

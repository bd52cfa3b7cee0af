// A minimal API on the framework's own server with the dashboard mounted at /priority. A publisher and two consumers
// run inside it, so there is always something to watch; the admin actions are HTTP endpoints too; GET /health checks
// the Redis bus (PING and the high-band wait).
//   dotnet run --project samples/WebApi -- --urls http://127.0.0.1:5080 --RedisPriorityQueue:Configuration=localhost:6379
//   open http://127.0.0.1:5080/priority (Development: pick a user name and a role on the sign-in page)
//   curl -X POST http://127.0.0.1:5080/events -H 'content-type: application/json' -d '{"type":"alert","urgency":9,"text":"disk full"}'
using System.Security.Claims;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using RedisPriorityTransport;
using Samples.Contracts;
using Samples.WebApi;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
var redisConfiguration = builder.Configuration["RedisPriorityQueue:Configuration"] ?? "localhost:6379";

// Options also bind from the "RedisPriorityQueue" configuration section (appsettings.json, environment, command line).
builder.Services.AddRedisPriorityQueue(bus =>
    {
        bus.AddConsumer<EventWorker>().Endpoint(e =>
        {
            e.Name = SampleQueues.Events;
            e.ConcurrentMessageLimit = 1;
        });
        bus.AddConsumer<EtlWorker>().Endpoint(e =>
        {
            e.Name = SampleQueues.Etl;
            e.ConcurrentMessageLimit = 1;
        });
    },
    options => options.EventTypeRanking = EventTypes.HighestFirst);
builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisConfiguration + ",abortConnect=false"));
// Unhealthy when Redis does not answer PING, Degraded when a high-band message waits longer than 30 s.
builder.Services.AddHealthChecks().AddRedisPriorityQueueHealthChecks(options => options.HighBandMaxWait = TimeSpan.FromSeconds(30));
if (builder.Configuration.GetValue("Demo:Traffic", true))
    builder.Services.AddHostedService<DemoTraffic>();

// The dashboard authenticates nobody: the application does. Here a cookie, set by a development-only sign-in page.
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(o => o.LoginPath = "/signin");
builder.Services.AddAuthorization(o => o.AddPolicy("manage-queues", p => p.RequireRole("manager", "admin")));
builder.Services.AddRedisPriorityDashboard();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

app.MapRedisPriorityDashboard("/priority").RequireAuthorization();
app.MapGet("/", () => Results.Redirect("/priority/"));

if (app.Environment.IsDevelopment())
{
    // Development only: anyone picks a name and a role. A real application signs users in with its own scheme.
    app.MapGet("/signin", () => Results.Content(DevelopmentSignIn.Page, "text/html; charset=utf-8"));
    app.MapPost("/signin", async (HttpContext http) =>
    {
        var form = await http.Request.ReadFormAsync();
        var user = form["user"].ToString().Trim();
        var role = form["role"].ToString();
        if (user.Length == 0 || !DevelopmentSignIn.Roles.Contains(role))
            return Results.BadRequest("Give a user name and one of the roles viewer, operator, manager, admin.");
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.Role, role)], CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(new ClaimsPrincipal(identity));
        return Results.Redirect("/priority/");
    }).DisableAntiforgery();
}

app.MapPost("/events", async (EventRequest request, IRedisPriorityBus bus) =>
{
    if (!UrgencyScale.IsValid(request.Urgency))
        return Results.ValidationProblem(new Dictionary<string, string[]> { ["urgency"] = [$"Urgency {request.Urgency} is outside 0..10."] });
    var id = $"api-{Guid.NewGuid():N}"[..16];
    var now = DateTimeOffset.UtcNow;
    ISampleEvent e = request.Type?.ToLowerInvariant() switch
    {
        EventTypes.Alert => new AlertRaised(id, request.Urgency, now, request.Source ?? "api", request.Text ?? ""),
        EventTypes.Transaction => new TransactionRecorded(id, request.Urgency, now, request.Source ?? "api", request.Amount ?? 0m),
        EventTypes.Log => new LogWritten(id, request.Urgency, now, "info", request.Text ?? ""),
        _ => null!,
    };
    if (e is null)
        return Results.ValidationProblem(new Dictionary<string, string[]> { ["type"] = [$"Type must be one of {string.Join(", ", EventTypes.HighestFirst)}."] });
    await bus.Publish(e, e.GetType());
    return Results.Accepted(value: new { eventId = id, type = SampleEvents.TypeOf(e), urgency = e.Urgency });
});

// The admin API over HTTP: reads for any signed-in user, changes for managers and admins, each audited under the
// signed-in user's name.
var queues = app.MapGroup("/queues").RequireAuthorization();
queues.AddEndpointFilter(async (context, next) =>
{
    try
    {
        return await next(context);
    }
    catch (QueueNotFoundException exception)
    {
        return Results.Problem(exception.Message, statusCode: StatusCodes.Status404NotFound);
    }
    catch (MessageNotFoundException exception)
    {
        return Results.Problem(exception.Message, statusCode: exception.ActualState is null ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict);
    }
    catch (ArgumentException exception)
    {
        return Results.Problem(exception.Message, statusCode: StatusCodes.Status400BadRequest);
    }
});
queues.MapGet("/", (IPriorityQueueAdmin admin, CancellationToken ct) => admin.GetQueuesAsync(ct));
queues.MapGet("/{queue}", (string queue, IPriorityQueueAdmin admin, CancellationToken ct) => admin.GetQueueAsync(queue, ct));
queues.MapGet("/{queue}/messages", (string queue, MessageState? state, string? cursor, IPriorityQueueAdmin admin, CancellationToken ct) =>
    admin.BrowseAsync(queue, state ?? MessageState.Ready, cursor: cursor, cancellationToken: ct));
queues.MapGet("/{queue}/messages/{id}", async (string queue, string id, IPriorityQueueAdmin admin, CancellationToken ct) =>
{
    var message = await admin.GetMessageAsync(queue, id, ct);
    return new { summary = message with { Body = default }, message.Headers, body = System.Text.Encoding.UTF8.GetString(message.Body.Span) };
});
queues.MapGet("/{queue}/history", (string queue, string? user, AuditAction? action, string? cursor, IPriorityQueueAdmin admin, CancellationToken ct) =>
    admin.GetHistoryAsync(queue, new AuditQuery { User = user, Action = action, Cursor = cursor }, ct));

var manage = queues.MapGroup("/").RequireAuthorization("manage-queues");
manage.MapPost("/{queue}/messages/{id}/priority", (string queue, string id, PriorityRequest request, ClaimsPrincipal user, IPriorityQueueAdmin admin, CancellationToken ct) =>
    admin.ChangePriorityAsync(queue, id, UrgencyScale.Validate(request.Urgency), user.Identity!.Name!, request.Reason, ct));
manage.MapPost("/{queue}/messages/{id}/cancel", (string queue, string id, ReasonRequest request, ClaimsPrincipal user, IPriorityQueueAdmin admin, CancellationToken ct) =>
    admin.CancelAsync(queue, id, user.Identity!.Name!, request.Reason ?? "", ct));
manage.MapPost("/{queue}/redrive", async (string queue, RedriveRequest request, ClaimsPrincipal user, IPriorityQueueAdmin admin, CancellationToken ct) =>
    new
    {
        moved = request.MessageIds is { Length: > 0 } ids
            ? await admin.RedriveAsync(queue, request.Source, ids, user.Identity!.Name!, request.Reason, ct)
            : await admin.RedriveAllAsync(queue, request.Source, user.Identity!.Name!, request.Reason, ct),
    });
manage.MapPost("/{queue}/purge", async (string queue, PurgeRequest request, ClaimsPrincipal user, IPriorityQueueAdmin admin, CancellationToken ct) =>
    new { purged = await admin.PurgeAsync(queue, request.State, user.Identity!.Name!, request.Reason, ct) });
manage.MapPost("/{queue}/pause", (string queue, ReasonRequest? request, ClaimsPrincipal user, IPriorityQueueAdmin admin, CancellationToken ct) =>
    admin.PauseAsync(queue, user.Identity!.Name!, request?.Reason, ct));
manage.MapPost("/{queue}/resume", (string queue, ReasonRequest? request, ClaimsPrincipal user, IPriorityQueueAdmin admin, CancellationToken ct) =>
    admin.ResumeAsync(queue, user.Identity!.Name!, request?.Reason, ct));
manage.MapPut("/{queue}/rate-limit", (string queue, RateLimitRequest request, ClaimsPrincipal user, IPriorityQueueAdmin admin, CancellationToken ct) =>
    admin.SetRateLimitAsync(queue, new RateLimit(request.Messages, TimeSpan.FromMilliseconds(request.IntervalMs)), user.Identity!.Name!, request.Reason, ct));
manage.MapDelete("/{queue}/rate-limit", (string queue, ClaimsPrincipal user, IPriorityQueueAdmin admin, CancellationToken ct) =>
    admin.SetRateLimitAsync(queue, null, user.Identity!.Name!, null, ct));

app.MapHealthChecks("/health");

app.Run();

namespace Samples.WebApi
{
    /// <summary>The body of <c>POST /events</c>.</summary>
    public sealed record EventRequest(string? Type, int Urgency, string? Text, string? Source, decimal? Amount);

    /// <summary>The body of a priority change.</summary>
    public sealed record PriorityRequest(int Urgency, string Reason);

    /// <summary>A body that only gives a reason.</summary>
    public sealed record ReasonRequest(string? Reason);

    /// <summary>The body of a redrive: the given ids, or all when none are given.</summary>
    public sealed record RedriveRequest(DeadLetterQueue Source, string[]? MessageIds, string? Reason);

    /// <summary>The body of a purge.</summary>
    public sealed record PurgeRequest(MessageState State, string? Reason);

    /// <summary>The body of a rate limit.</summary>
    public sealed record RateLimitRequest(int Messages, int IntervalMs, string? Reason);

    /// <summary>The development sign-in page: a name and a role, no password.</summary>
    public static class DevelopmentSignIn
    {
        /// <summary>The roles the dashboard knows.</summary>
        public static readonly string[] Roles = ["viewer", "operator", "manager", "admin"];

        /// <summary>The page (static markup, nothing user-supplied in it).</summary>
        public const string Page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Sign in (development)</title></head>
            <body>
            <h1>Sign in (development only)</h1>
            <p>Pick any user name and a role; the dashboard's buttons follow the role.</p>
            <form method="post" action="/signin">
            <p><label>User name <input name="user" required value="newcomer"></label></p>
            <p><label>Role <select name="role"><option>viewer</option><option>operator</option><option selected>manager</option><option>admin</option></select></label></p>
            <p><button type="submit">Sign in</button></p>
            </form>
            </body></html>
            """;
    }

    /// <summary>Handles the sample events one at a time (about 6 a second), slower than they arrive, so a backlog builds to watch.</summary>
    public sealed class EventWorker : IConsumer<AlertRaised>, IConsumer<TransactionRecorded>, IConsumer<LogWritten>
    {
        /// <inheritdoc />
        public Task Consume(ConsumeContext<AlertRaised> context) => Task.Delay(180, context.CancellationToken);

        /// <inheritdoc />
        public async Task Consume(ConsumeContext<TransactionRecorded> context)
        {
            await Task.Delay(220, context.CancellationToken);
            // A few transactions fail, so the error queue has something to retry.
            if (context.Message.Amount > 480m)
                throw new InvalidOperationException($"Card declined for {context.Message.Account} ({context.Message.Amount:0.00}).");
        }

        /// <inheritdoc />
        public Task Consume(ConsumeContext<LogWritten> context) => Task.Delay(100, context.CancellationToken);
    }

    /// <summary>The ETL pipeline's phases; each follow-up inherits the urgency of the message being consumed.</summary>
    public sealed class EtlWorker : IConsumer<ExtractRequested>, IConsumer<TransformRequested>, IConsumer<LoadRequested>
    {
        /// <inheritdoc />
        public async Task Consume(ConsumeContext<ExtractRequested> context)
        {
            await Task.Delay(400, context.CancellationToken);
            await context.Publish(new TransformRequested(context.Message.JobId, context.Message.Dataset, 1000));
        }

        /// <inheritdoc />
        public async Task Consume(ConsumeContext<TransformRequested> context)
        {
            await Task.Delay(300, context.CancellationToken);
            await context.Publish(new LoadRequested(context.Message.JobId, context.Message.Dataset, context.Message.Rows));
        }

        /// <inheritdoc />
        public Task Consume(ConsumeContext<LoadRequested> context) => Task.Delay(200, context.CancellationToken);
    }

    /// <summary>
    /// Publishes sample events a little faster than <see cref="EventWorker"/> handles them, and an ETL job every few
    /// seconds; it holds back while the events queue has more than 400 waiting, so the backlog stays bounded.
    /// Turn it off with <c>--Demo:Traffic=false</c>.
    /// </summary>
    public sealed class DemoTraffic(IRedisPriorityBus bus, IPriorityQueueAdmin admin, ILogger<DemoTraffic> logger) : BackgroundService
    {
        /// <inheritdoc />
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var random = new Random();
            var number = 0;
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(125));
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (number % 40 == 0 && (await admin.GetQueueAsync(SampleQueues.Events, stoppingToken)).Ready > 400)
                        continue;
                    var e = SampleEvents.Random(random, ++number, minUrgency: 0, maxUrgency: 10);
                    await bus.Publish(e, e.GetType(), stoppingToken);
                    if (number % 40 == 0)
                        await bus.Publish(new ExtractRequested(Guid.NewGuid(), $"dataset-{number / 40}", random.Next(0, 11)), stoppingToken);
                }
                catch (Exception exception) when (exception is RedisException or QueueNotFoundException)
                {
                    logger.LogWarning("Demo traffic paused a moment: {Message}", exception.Message);
                }
            }
        }
    }
}

using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RedisPriorityTransport.Tests.Transport;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Reliability;

/// <summary>
/// Bad input at the transport's entry points: messages over the configured size limit, urgencies outside 0..10 and
/// unusable queue names fail at the call with an exception that says what is wrong, and nothing reaches Redis.
/// (An out-of-range <c>[Urgency]</c> property and <c>SetUrgency</c> on Send are in <see cref="FeatureTests"/>.)
/// </summary>
public class TransportBadInputTests(ITestOutputHelper output) : TransportTestBase
{
    const int Limit = 4096;

    [Fact]
    public async Task A_message_over_the_size_limit_fails_the_send_and_publish_naming_size_and_limit_and_writes_nothing()
    {
        await StartHarness(x => x.AddConsumer<PingConsumer>(),
            (_, cfg) => cfg.Host(Redis.Configuration, h =>
            {
                h.KeyPrefix = KeyPrefix;
                h.MaxMessageBytes = Limit;
            }));
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:sized"));
        var large = new PingMessage(new string('x', Limit));

        var sent = await Assert.ThrowsAnyAsync<ArgumentException>(() => endpoint.Send(large));
        output.WriteLine($"Send: {sent.GetType().Name}: {sent.Message}");
        AssertNamesSizeAndLimit(sent);
        var published = await Assert.ThrowsAnyAsync<ArgumentException>(() => Harness.Bus.Publish(large));
        output.WriteLine($"Publish: {published.GetType().Name}: {published.Message}");
        AssertNamesSizeAndLimit(published);

        Assert.Equal(0, await CountAllAsync("sized"));
        Assert.Equal(0, await CountAllAsync("Ping"));

        // Below the limit everything works as usual.
        await endpoint.Send(new PingMessage("small"));
        await Harness.Bus.Publish(new PingMessage("small published"));
        Assert.True(await Harness.Consumed.Any<PingMessage>(x => x.Context.Message.Text == "small published"));
        Assert.Equal(1, await CountAllAsync("sized"));
    }

    [Fact]
    public async Task The_size_limit_must_be_positive()
    {
        var services = new ServiceCollection();
        services.AddMassTransit(x => x.UsingRedis((_, cfg) => cfg.Host(Redis.Configuration, h => h.MaxMessageBytes = 0)));
        await using var provider = services.BuildServiceProvider();
        var exception = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IBusControl>());
        var outOfRange = FindInner<ArgumentOutOfRangeException>(exception);
        Assert.NotNull(outOfRange);
        Assert.Contains("MaxMessageBytes", outOfRange.Message);
    }

    [Fact]
    public async Task The_size_limit_binds_from_the_options_of_AddRedisPriorityQueue()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRedisPriorityQueue(configureOptions: options =>
        {
            options.Configuration = Redis.Configuration;
            options.KeyPrefix = KeyPrefix;
            options.MaxMessageBytes = Limit;
        });
        await using var provider = services.BuildServiceProvider(true);
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync(TimeSpan.FromSeconds(30));
        try
        {
            var endpoint = await bus.GetSendEndpoint(new Uri("queue:bound"));
            AssertNamesSizeAndLimit(await Assert.ThrowsAnyAsync<ArgumentException>(() => endpoint.Send(new PingMessage(new string('x', Limit)))));
            Assert.Equal(0, await CountAllAsync("bound"));
        }
        finally
        {
            await bus.StopAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task An_invalid_urgency_fails_the_publish_and_writes_nothing()
    {
        await StartHarness(x => x.AddConsumer<PingConsumer>());

        var tooHigh = await Assert.ThrowsAsync<InvalidUrgencyException>(() =>
            Harness.Bus.Publish(new PingMessage("too urgent"), context => context.SetUrgency((Urgency)11)));
        output.WriteLine($"Publish with SetUrgency(11): {tooHigh.Message}");
        Assert.Contains("11", tooHigh.Message);
        await Assert.ThrowsAsync<InvalidUrgencyException>(() => Harness.Bus.Publish(new Alarm("too loud", 11)));
        await Assert.ThrowsAsync<InvalidUrgencyException>(() => Harness.Bus.Publish(new PingMessage("negative"), context => context.SetUrgency((Urgency)(-1))));

        Assert.Equal(0, await CountAllAsync("Ping"));
    }

    public static TheoryData<string, string> BadQueueNames => new()
    {
        { "bad name", "'\\u0020'" },
        { "orders{x}", "'{'" },
        { "orders}", "'}'" },
        { "tab\tname", "\\u0009" },
        { new string('q', 201), "201 characters" },
        { new string('q', 5000), "5000 characters" },
    };

    [Theory]
    [MemberData(nameof(BadQueueNames))]
    public async Task A_malformed_queue_name_fails_GetSendEndpoint_and_ConnectReceiveEndpoint_with_the_problem(string name, string problem)
    {
        await StartHarness(_ => { });

        var send = await Assert.ThrowsAnyAsync<ArgumentException>(async () =>
        {
            var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:" + name));
            await endpoint.Send(new PingMessage("never"));
        });
        output.WriteLine($"GetSendEndpoint(queue:{Shorten(name)}): {send.Message}");
        Assert.Contains(problem, send.Message);

        var receive = Assert.ThrowsAny<ArgumentException>(() => Harness.Bus.ConnectReceiveEndpoint(name, e => e.Consumer<PingConsumer>()));
        output.WriteLine($"ConnectReceiveEndpoint({Shorten(name)}): {receive.Message}");
        Assert.Contains(problem, receive.Message);

        Assert.Empty(Redis.Connection.GetServers().SelectMany(server => server.Keys(pattern: KeyPrefix + "*" + name[..Math.Min(5, name.Length)] + "*")));
    }

    [Fact]
    public async Task An_empty_queue_name_fails_GetSendEndpoint_and_a_malformed_one_fails_the_bus_configuration()
    {
        await StartHarness(_ => { });
        var empty = await Assert.ThrowsAnyAsync<ArgumentException>(async () =>
        {
            var endpoint = await Harness.Bus.GetSendEndpoint(new Uri("queue:"));
            await endpoint.Send(new PingMessage("never"));
        });
        output.WriteLine($"GetSendEndpoint(queue:): {empty.Message}");
        Assert.Contains("names no queue", empty.Message);

        var services = new ServiceCollection();
        services.AddMassTransit(x => x.UsingRedis((_, cfg) =>
        {
            cfg.Host(Redis.Configuration, h => h.KeyPrefix = KeyPrefix);
            cfg.ReceiveEndpoint("orders{x}", e => e.Consumer<PingConsumer>());
        }));
        await using var provider = services.BuildServiceProvider();
        var configuration = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IBusControl>());
        var argument = FindInner<ArgumentException>(configuration);
        output.WriteLine($"cfg.ReceiveEndpoint(\"orders{{x}}\"): {configuration.GetType().Name}: {argument?.Message}");
        Assert.NotNull(argument);
        Assert.Contains("'{'", argument.Message);
    }

    [Fact]
    public async Task Every_bad_endpoint_setting_is_reported_at_once_by_the_configuration_check()
    {
        var services = new ServiceCollection();
        services.AddMassTransit(x => x.UsingRedis((_, cfg) =>
        {
            cfg.Host(Redis.Configuration, h => h.KeyPrefix = KeyPrefix);
            cfg.ReceiveEndpoint("bad-settings", e =>
            {
                e.LockDuration = TimeSpan.FromMilliseconds(50);
                e.MaxDeliveryCount = 0;
                e.DuplicateDetectionWindow = TimeSpan.FromSeconds(-1);
                e.MaxLockDuration = TimeSpan.Zero;
                e.Consumer<PingConsumer>();
            });
        }));
        await using var provider = services.BuildServiceProvider();
        var exception = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IBusControl>());
        var configuration = FindInner<ConfigurationException>(exception);
        output.WriteLine(configuration?.Message);
        Assert.NotNull(configuration);
        foreach (var setting in new[] { "LockDuration", "MaxDeliveryCount", "DuplicateDetectionWindow", "MaxLockDuration" })
            Assert.Contains(setting, configuration.Message);
    }

    [Fact]
    public async Task Bad_options_of_AddRedisPriorityQueue_are_all_reported_by_the_options_validation()
    {
        var services = new ServiceCollection();
        services.AddRedisPriorityQueue(configureOptions: options =>
        {
            options.KeyPrefix = "bad{prefix";
            options.LockDuration = TimeSpan.Zero;
            options.MaxDeliveryCount = 0;
            options.MaxMessageBytes = -1;
        });
        await using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisPriorityQueueOptions>>().Value);
        output.WriteLine(error.Message);
        Assert.Equal(4, error.Failures.Count());
        foreach (var setting in new[] { "KeyPrefix", "LockDuration", "MaxDeliveryCount", "MaxMessageBytes" })
            Assert.Contains(error.Failures, failure => failure.Contains(setting, StringComparison.Ordinal));
    }

    static void AssertNamesSizeAndLimit(Exception exception)
    {
        Assert.Contains("bytes", exception.Message);
        Assert.Contains(Limit.ToString(), exception.Message);
        Assert.Contains(nameof(PingMessage), exception.Message);
        Assert.Contains("MaxMessageBytes", exception.Message);
    }

    async Task<long> CountAllAsync(string queueName)
    {
        var counts = await Queue(queueName).GetCountsAsync();
        return counts.Ready + counts.InFlight + counts.Delayed;
    }

    static T? FindInner<T>(Exception? exception) where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
                return found;
        }

        return null;
    }

    static string Shorten(string name) => name.Length > 30 ? name[..20] + $"… ({name.Length} characters)" : name;
}

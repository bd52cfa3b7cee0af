using MassTransit.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RedisPriorityTransport;
using StackExchange.Redis;

// ReSharper disable once CheckNamespace
namespace MassTransit;

/// <summary>Adds the Redis priority bus to an application in one call.</summary>
public static class RedisPriorityQueueServiceCollectionExtensions
{
    /// <summary>
    /// Adds a MassTransit bus on the Redis priority transport. When no MassTransit bus is registered yet it becomes the
    /// application's <see cref="IBus"/>; when one is (in-memory, RabbitMQ, …) that bus is left alone and the Redis bus is
    /// added as a second bus. Either way it is available as <see cref="IRedisPriorityBus"/> and starts with the host, and
    /// its <see cref="IPriorityQueueAdmin"/> is bound as <c>Bind&lt;IRedisPriorityBus, IPriorityQueueAdmin&gt;</c>.
    /// Options bind from the configuration section <c>RedisPriorityQueue</c>, then <paramref name="configureOptions"/> runs.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configureBus">Registers consumers, sagas and so on for the Redis bus.</param>
    /// <param name="configureOptions">Adjusts the options after configuration binding.</param>
    public static IServiceCollection AddRedisPriorityQueue(this IServiceCollection services,
        Action<IBusRegistrationConfigurator>? configureBus = null, Action<RedisPriorityQueueOptions>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(IRedisPriorityBus)))
            throw new InvalidOperationException("AddRedisPriorityQueue may be called only once per container.");

        var options = services.AddOptions<RedisPriorityQueueOptions>()
            .BindConfigurationIfPresent(RedisPriorityQueueOptions.SectionName);
        if (configureOptions is not null)
            options.Configure(configureOptions);
        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisPriorityQueueOptions>, RedisPriorityQueueOptionsValidator>();

        var busAlreadyRegistered = services.Any(d => d.ServiceType == typeof(IBus));
        if (busAlreadyRegistered)
        {
            services.AddMassTransit<IRedisPriorityBus, RedisPriorityBus>(x =>
            {
                configureBus?.Invoke(x);
                x.UsingRedis(Configure);
            });
        }
        else
        {
            services.AddMassTransit(x =>
            {
                configureBus?.Invoke(x);
                x.UsingRedis(Configure);
            });
            services.AddSingleton<IRedisPriorityBus>(provider => new RedisPriorityBus(provider.GetRequiredService<IBusControl>()));
            // Its admin under IRedisPriorityBus too, as when it is a second bus.
            BusPriorityQueueAdmin.Register<IRedisPriorityBus>(services, provider => provider.GetRequiredService<Bind<IBus, IPriorityQueueAdmin>>().Value);
        }

        return services;
    }

    static void Configure(IBusRegistrationContext context, IRedisBusFactoryConfigurator configurator)
    {
        var options = context.GetRequiredService<IOptions<RedisPriorityQueueOptions>>().Value;
        Action<IRedisHostConfigurator> host = h =>
        {
            h.KeyPrefix = options.KeyPrefix;
            h.MaxMessageBytes = options.MaxMessageBytes;
        };
        if (!string.IsNullOrWhiteSpace(options.Configuration))
            configurator.Host(options.Configuration, host);
        else if (context.GetService<IConnectionMultiplexer>() is { } connection)
            configurator.Host(connection, host);
        else
            configurator.Host("localhost:6379", host);

        if (options.EventTypeRanking.Length > 0)
            configurator.RankEventTypes(options.EventTypeRanking);
        configurator.LockDuration = options.LockDuration;
        configurator.MaxDeliveryCount = options.MaxDeliveryCount;
        if (options.DuplicateDetectionWindow is { } window)
            configurator.DuplicateDetectionWindow = window;
        if (options.ConcurrentMessageLimit is { } limit)
            configurator.ConcurrentMessageLimit = limit;
        configurator.ConfigureEndpoints(context);
    }
}

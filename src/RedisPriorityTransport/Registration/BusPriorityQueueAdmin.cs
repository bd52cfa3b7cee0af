using System.Reflection;
using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RedisPriorityTransport.Transport;

namespace RedisPriorityTransport;

/// <summary>Creates and registers the <see cref="IPriorityQueueAdmin"/> of a Redis bus registered with <c>UsingRedis</c>.</summary>
internal static class BusPriorityQueueAdmin
{
    static readonly MethodInfo RegisterForBus = typeof(BusPriorityQueueAdmin).GetMethod(nameof(Register), BindingFlags.Public | BindingFlags.Static,
        [typeof(IServiceCollection), typeof(Func<IServiceProvider, IPriorityQueueAdmin>)])!;

    /// <summary>
    /// Registers the admin of the bus <paramref name="configurator"/> configures, bound to that bus's interface: <c>IBus</c>
    /// for the application's bus, <c>TBus</c> for one added with <c>AddMassTransit&lt;TBus&gt;</c> (see <see cref="Register{TBus}"/>).
    /// </summary>
    public static void Register(IBusRegistrationConfigurator configurator, RedisRegistrationBusFactory factory)
    {
        // MassTransit's configurator of a MultiBus bus implements IBusRegistrationConfigurator<TBus>; the application's does not.
        var busType = configurator.GetType().GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IBusRegistrationConfigurator<>))
            ?.GetGenericArguments()[0] ?? typeof(IBus);
        Func<IServiceProvider, IPriorityQueueAdmin> create = provider => Create(factory, provider);
        RegisterForBus.MakeGenericMethod(busType).Invoke(null, [configurator, create]);
    }

    /// <summary>
    /// Registers one admin for the bus <typeparamref name="TBus"/>: a singleton <c>Bind&lt;TBus, IPriorityQueueAdmin&gt;</c>
    /// (MassTransit's way of handing out a bus's own services, which every container supports; keyed services would
    /// break a container without them, even one that never asks for the admin), and the same instance as the plain
    /// <see cref="IPriorityQueueAdmin"/> unless an earlier bus registered that.
    /// </summary>
    public static void Register<TBus>(IServiceCollection services, Func<IServiceProvider, IPriorityQueueAdmin> admin)
        where TBus : class, IBus
    {
        services.AddSingleton(provider => Bind<TBus>.Create(admin(provider)));
        services.TryAddSingleton(provider => provider.GetRequiredService<Bind<TBus, IPriorityQueueAdmin>>().Value);
    }

    static IPriorityQueueAdmin Create(RedisRegistrationBusFactory factory, IServiceProvider provider)
    {
        var options = provider.GetService<IOptions<PriorityQueueAdminOptions>>()?.Value ?? new PriorityQueueAdminOptions();
        return new RedisPriorityQueueAdmin(async () =>
        {
            // The host settings (connection, key prefix) are the application's only once the bus was created; resolving
            // the bus instances creates it when the admin is used before the host started.
            if (!factory.BusCreated)
                _ = provider.GetServices<IBusInstance>().ToArray();
            if (!factory.BusCreated)
                throw new InvalidOperationException("The Redis bus of this container has not been created; the admin API needs its connection settings.");
            var host = factory.HostConfiguration;
            // Asked each time: a bus stopped and started again has a new connection.
            var connection = await host.Transport.GetConnectionAsync().ConfigureAwait(false);
            return new AdminTarget(connection, host.Settings.KeyPrefix, host.Settings.CreateQueueSettings().ReasonHeader);
        }, options);
    }
}

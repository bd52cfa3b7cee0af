using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RedisPriorityTransport.Dashboard.Security;

/// <summary>
/// The role assignments admins make on the users page: one Redis hash, <c>{prefix}dashboard:roles</c>, user name →
/// role name. Each read and write is a single command. There are no passwords here: the host authenticates.
/// </summary>
internal sealed class RoleAssignments : IDisposable
{
    readonly Lazy<IDatabase> _database;
    IConnectionMultiplexer? _owned;

    public RoleAssignments(IServiceProvider services, IOptions<DashboardOptions> options)
    {
        var dashboard = options.Value;
        var queueOptions = services.GetService<IOptions<RedisPriorityQueueOptions>>();
        var prefix = dashboard.KeyPrefix ?? queueOptions?.Value.KeyPrefix ?? PriorityQueueSettings.DefaultKeyPrefix;
        Key = prefix + "dashboard:roles";
        _database = new Lazy<IDatabase>(() => Connect(services, dashboard, queueOptions?.Value).GetDatabase());
    }

    /// <summary>Closes the connection the dashboard opened itself (never a registered one).</summary>
    public void Dispose() => _owned?.Dispose();

    /// <summary>The hash holding the assignments.</summary>
    public RedisKey Key { get; }

    public async Task<DashboardRole> GetAsync(string user)
    {
        var value = await _database.Value.HashGetAsync(Key, user);
        return Parse(value);
    }

    public async Task<IReadOnlyList<(string User, DashboardRole Role)>> ListAsync()
    {
        var entries = await _database.Value.HashGetAllAsync(Key);
        return entries.Select(e => ((string)e.Name!, Parse(e.Value)))
            .Where(e => e.Item2 != DashboardRole.None)
            .OrderBy(e => e.Item1, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public Task SetAsync(string user, DashboardRole role) =>
        role == DashboardRole.None
            ? _database.Value.HashDeleteAsync(Key, user)
            : _database.Value.HashSetAsync(Key, user, role.ToString().ToLowerInvariant());

    static DashboardRole Parse(RedisValue value) =>
        !value.IsNullOrEmpty && Enum.TryParse<DashboardRole>(value.ToString(), ignoreCase: true, out var role) && Enum.IsDefined(role)
            ? role
            : DashboardRole.None;

    IConnectionMultiplexer Connect(IServiceProvider services, DashboardOptions dashboard, RedisPriorityQueueOptions? queueOptions)
    {
        if (!string.IsNullOrWhiteSpace(dashboard.RedisConfiguration))
            return _owned = ConnectionMultiplexer.Connect(dashboard.RedisConfiguration + ",abortConnect=false");
        if (services.GetService<IConnectionMultiplexer>() is { } registered)
            return registered;
        if (!string.IsNullOrWhiteSpace(queueOptions?.Configuration))
            return _owned = ConnectionMultiplexer.Connect(queueOptions.Configuration + ",abortConnect=false");
        throw new InvalidOperationException(
            "The dashboard keeps role assignments in Redis but has no connection: set DashboardOptions.RedisConfiguration, " +
            "register an IConnectionMultiplexer, or set RedisPriorityQueue:Configuration (or turn off DashboardOptions.UseRoleAssignments).");
    }
}

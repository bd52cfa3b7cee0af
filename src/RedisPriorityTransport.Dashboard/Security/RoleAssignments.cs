using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RedisPriorityTransport.Dashboard.Security;

/// <summary>
/// The role assignments admins make on the users page: one Redis hash, <c>{prefix}{dashboard}:roles</c>, user name →
/// role name, and their audit, the stream <c>{prefix}{dashboard}:audit</c>. A change and its audit entry are one
/// script (<c>Scripts/change_role.lua</c>); each read is a single command. Both keys carry the hash tag
/// <c>{dashboard}</c>, so they share a cluster slot. There are no passwords here: the host authenticates.
/// </summary>
internal sealed class RoleAssignments : IDisposable
{
    /// <summary>Entries the audit stream keeps (approximately: Redis trims whole stream nodes).</summary>
    public const int AuditMaxLength = 10_000;

    /// <summary>The longest reason kept with a role change.</summary>
    public const int MaxReasonLength = 500;

    static readonly Lazy<string> ChangeScript = new(() => ReadScript("change_role"));

    readonly Lazy<IDatabase> _database;
    IConnectionMultiplexer? _owned;

    public RoleAssignments(IServiceProvider services, IOptions<DashboardOptions> options)
    {
        var dashboard = options.Value;
        var queueOptions = services.GetService<IOptions<RedisPriorityQueueOptions>>();
        var prefix = dashboard.KeyPrefix ?? queueOptions?.Value.KeyPrefix ?? PriorityQueueSettings.DefaultKeyPrefix;
        // The prefix's own characters come first; the first {...} after them is the tag, the same for both keys.
        Key = prefix + "{dashboard}:roles";
        AuditKey = prefix + "{dashboard}:audit";
        _database = new Lazy<IDatabase>(() => Connect(services, dashboard, queueOptions?.Value).GetDatabase());
    }

    /// <summary>Closes the connection the dashboard opened itself (never a registered one).</summary>
    public void Dispose() => _owned?.Dispose();

    /// <summary>The hash holding the assignments.</summary>
    public RedisKey Key { get; }

    /// <summary>The stream holding the audit of role changes.</summary>
    public RedisKey AuditKey { get; }

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

    /// <summary>
    /// Sets <paramref name="user"/>'s role (<see cref="DashboardRole.None"/> removes the assignment) and writes the audit
    /// entry naming <paramref name="actor"/>, in one script. Returns false when the user already had that role: then
    /// nothing is written. Callers check that <paramref name="actor"/> may manage users.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty or too long, the role is unknown, or the reason is too long.</exception>
    public async Task<bool> ChangeAsync(string actor, string user, DashboardRole role, string? reason)
    {
        if (string.IsNullOrWhiteSpace(actor))
            throw new ArgumentException("Role changes are audited by the acting user's name, and the signed-in user has none.", nameof(actor));
        if (string.IsNullOrWhiteSpace(user) || user.Length > 200)
            throw new ArgumentException($"The user name must be 1 to 200 characters; got '{user}'.", nameof(user));
        if (!Enum.IsDefined(role))
            throw new ArgumentException($"'{role}' is not a dashboard role.", nameof(role));
        if (reason is { Length: > MaxReasonLength })
            throw new ArgumentException($"A reason is at most {MaxReasonLength} characters.", nameof(reason));

        var result = (RedisResult[])(await _database.Value.ScriptEvaluateAsync(ChangeScript.Value, [Key, AuditKey],
            [actor, user, role == DashboardRole.None ? "" : Name(role), reason ?? "", AuditMaxLength]))!;
        return !string.IsNullOrEmpty((string?)result[0]);
    }

    /// <summary>
    /// The role changes, newest first, <paramref name="count"/> at most, older than the entry <paramref name="before"/>
    /// (null: from the newest); one XREVRANGE. The cursor is the id of the last entry when more may follow.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="before"/> is not a stream id.</exception>
    public async Task<(IReadOnlyList<RoleChange> Entries, string? NextCursor)> HistoryAsync(string? before, int count)
    {
        if (before is not null && !IsCursor(before))
            throw new ArgumentException($"'{before}' is not a position in the role history.", nameof(before));
        var entries = await _database.Value.StreamRangeAsync(AuditKey, "-", before is null ? "+" : "(" + before, count + 1, Order.Descending);
        var changes = entries.Take(count).Select(ToChange).ToList();
        return (changes, entries.Length > count ? changes[^1].Id : null);
    }

    static RoleChange ToChange(StreamEntry entry)
    {
        var id = (string)entry.Id!;
        var ms = long.Parse(id.AsSpan(0, id.IndexOf('-')), NumberStyles.None, CultureInfo.InvariantCulture);
        var reason = (string?)entry["reason"];
        return new RoleChange(id, DateTimeOffset.FromUnixTimeMilliseconds(ms), (string?)entry["user"] ?? "", (string?)entry["target"] ?? "",
            Parse(entry["from"]), Parse(entry["to"]), string.IsNullOrEmpty(reason) ? null : reason);
    }

    static string Name(DashboardRole role) => role.ToString().ToLowerInvariant();

    static string ReadScript(string name)
    {
        var resource = $"RedisPriorityTransport.Dashboard.Scripts.{name}.lua";
        using var stream = typeof(RoleAssignments).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded Lua script '{resource}' is missing from the dashboard's assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A stream id Redis accepts as the exclusive end of a range: two 64-bit numbers, not 0-0.</summary>
    static bool IsCursor(string value)
    {
        var dash = value.IndexOf('-');
        return dash > 0
            && ulong.TryParse(value.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            && ulong.TryParse(value.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            && (ms | sequence) != 0;
    }

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

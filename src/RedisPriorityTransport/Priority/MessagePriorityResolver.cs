using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace RedisPriorityTransport;

/// <summary>
/// Reads what a message declares about its priority: <see cref="UrgencyAttribute"/> and <see cref="EventTypeAttribute"/>
/// properties first, then the type's <see cref="MessagePriorityAttribute"/>. Reflection runs once per message type;
/// the result is a compiled delegate, cached.
/// </summary>
public static class MessagePriorityResolver
{
    static readonly ConcurrentDictionary<Type, Func<object, DeclaredPriority>> ByRuntimeType = new();

    /// <summary>Resolves the declared priority of <paramref name="message"/> using the static type <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidUrgencyException">An urgency property holds a value outside 0..10.</exception>
    public static DeclaredPriority Resolve<T>(T message) where T : class
    {
        ArgumentNullException.ThrowIfNull(message);
        return Cache<T>.Resolver(message);
    }

    /// <summary>Resolves the declared priority of <paramref name="message"/> by its runtime type.</summary>
    /// <exception cref="InvalidUrgencyException">An urgency property holds a value outside 0..10.</exception>
    public static DeclaredPriority Resolve(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ByRuntimeType.GetOrAdd(message.GetType(), Build)(message);
    }

    static class Cache<T>
    {
        // Interfaces are resolved through the runtime type's members so implementations may carry the attributes too.
        internal static readonly Func<object, DeclaredPriority> Resolver =
            typeof(T).IsInterface || typeof(T) == typeof(object)
                ? message => ByRuntimeType.GetOrAdd(message.GetType(), static type => Build(type, typeof(T)))(message)
                : BuildOrDeferFailure(typeof(T));
    }

    // A badly marked contract must fail with its own exception at each resolve, not a TypeInitializationException.
    static Func<object, DeclaredPriority> BuildOrDeferFailure(Type type)
    {
        try
        {
            return Build(type);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            var failure = ExceptionDispatchInfo.Capture(exception);
            return _ =>
            {
                failure.Throw();
                return default;
            };
        }
    }

    static Func<object, DeclaredPriority> Build(Type type) => Build(type, null);

    static Func<object, DeclaredPriority> Build(Type type, Type? declaredType)
    {
        var types = TypesOf(type, declaredType);
        var attribute = types.Select(t => t.GetCustomAttribute<MessagePriorityAttribute>(inherit: true)).FirstOrDefault(a => a is not null);
        if (attribute?.EventType is { } declaredEventType)
            EventTypeRanking.ValidateName(declaredEventType, nameof(MessagePriorityAttribute.EventType));
        Urgency? defaultUrgency = attribute is { HasUrgency: true } ? UrgencyScale.Validate((int)attribute.Urgency, type) : null;
        var defaultEventType = attribute?.EventType;

        var properties = types.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)).ToArray();
        var urgencyReader = BuildUrgencyReader(type, properties);
        var eventTypeReader = BuildEventTypeReader(type, properties);

        if (urgencyReader is null && eventTypeReader is null)
        {
            var constant = new DeclaredPriority(defaultUrgency, defaultEventType);
            return _ => constant;
        }

        return message =>
        {
            var urgency = urgencyReader?.Invoke(message) is { } raw ? UrgencyScale.Validate(raw, type) : defaultUrgency;
            var eventType = eventTypeReader?.Invoke(message) is { Length: > 0 } name ? name : defaultEventType;
            return new DeclaredPriority(urgency, eventType);
        };
    }

    static Type[] TypesOf(Type type, Type? declaredType)
    {
        var list = new List<Type> { type };
        if (declaredType is not null && declaredType != type && declaredType != typeof(object))
            list.Add(declaredType);
        list.AddRange(type.GetInterfaces());
        return list.Distinct().ToArray();
    }

    static PropertyInfo? FindMarked<TAttribute>(Type type, PropertyInfo[] properties) where TAttribute : Attribute
    {
        var marked = properties.Where(p => p.IsDefined(typeof(TAttribute), inherit: true) && p.GetIndexParameters().Length == 0)
            .GroupBy(p => p.Name).Select(g => g.First()).ToArray();
        return marked.Length switch
        {
            0 => null,
            1 => marked[0],
            _ => throw new InvalidOperationException(
                $"Message type {type.FullName} marks {marked.Length} properties with [{typeof(TAttribute).Name[..^9]}] ({string.Join(", ", marked.Select(p => p.Name))}); mark at most one."),
        };
    }

    static Func<object, int?>? BuildUrgencyReader(Type type, PropertyInfo[] properties)
    {
        var property = FindMarked<UrgencyAttribute>(type, properties);
        if (property is null)
            return null;

        var propertyType = property.PropertyType;
        var underlying = Nullable.GetUnderlyingType(propertyType) ?? propertyType;
        if (underlying != typeof(int) && underlying != typeof(Urgency))
            throw new InvalidOperationException(
                $"Property {type.FullName}.{property.Name} is marked [Urgency] but is of type {propertyType.Name}; use int, Urgency or their nullable forms.");

        var parameter = Expression.Parameter(typeof(object), "message");
        Expression value = Expression.Property(Expression.Convert(parameter, property.DeclaringType!), property);
        value = Expression.Convert(value, underlying == typeof(int) ? typeof(int?) : typeof(Urgency?));
        if (underlying == typeof(Urgency))
            value = Expression.Convert(value, typeof(int?));
        return Expression.Lambda<Func<object, int?>>(value, parameter).Compile();
    }

    static Func<object, string?>? BuildEventTypeReader(Type type, PropertyInfo[] properties)
    {
        var property = FindMarked<EventTypeAttribute>(type, properties);
        if (property is null)
            return null;
        if (property.PropertyType != typeof(string))
            throw new InvalidOperationException(
                $"Property {type.FullName}.{property.Name} is marked [EventType] but is of type {property.PropertyType.Name}; use string.");

        var parameter = Expression.Parameter(typeof(object), "message");
        var value = Expression.Property(Expression.Convert(parameter, property.DeclaringType!), property);
        return Expression.Lambda<Func<object, string?>>(value, parameter).Compile();
    }
}

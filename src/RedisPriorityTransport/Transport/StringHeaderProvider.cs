using System.Diagnostics.CodeAnalysis;
using MassTransit.Transports;

namespace RedisPriorityTransport.Transport;

/// <summary>Reads the string headers stored with a message.</summary>
internal sealed class StringHeaderProvider(IReadOnlyDictionary<string, string> headers) : IHeaderProvider
{
    public IEnumerable<KeyValuePair<string, object>> GetAll() =>
        headers.Select(pair => new KeyValuePair<string, object>(pair.Key, pair.Value));

    public bool TryGetHeader(string key, [NotNullWhen(true)] out object? value)
    {
        if (headers.TryGetValue(key, out var text))
        {
            value = text;
            return true;
        }

        value = null;
        return false;
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace RedisPriorityTransport.Redis;

/// <summary>
/// One Lua script from the embedded resources, with its includes inlined and its SHA-1 computed. Its header's
/// <c>--@keys</c> line names the keys it receives, in <c>KEYS</c> order; the loader adds the line that maps them to the
/// script's table <c>q</c> (<c>q.ready</c>, <c>q.error.ready</c>, …), and <see cref="ScriptKeys"/> passes exactly those.
/// </summary>
internal sealed partial class EmbeddedScript
{
    EmbeddedScript(string name, IReadOnlyList<string> keyNames, string source)
    {
        Name = name;
        KeyNames = keyNames;
        Source = source;
        Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(source));
    }

    public string Name { get; }

    /// <summary>The names of the keys the script receives, in <c>KEYS</c> order (see <see cref="ScriptKeys"/>).</summary>
    public IReadOnlyList<string> KeyNames { get; }

    public string Source { get; }
    public byte[] Sha1 { get; }

    /// <exception cref="InvalidOperationException">The script is missing, or its <c>--@keys</c> line is missing or names an unknown key.</exception>
    public static EmbeddedScript Load(string name)
    {
        var text = ReadResource(name);
        var declarations = KeysPattern().Matches(text);
        if (declarations.Count != 1)
            throw new InvalidOperationException(declarations.Count == 0
                ? $"Lua script '{name}' has no '--@keys' line: a script's header names the keys it receives, for example '--@keys ready messages'."
                : $"Lua script '{name}' has {declarations.Count} '--@keys' lines; one names all its keys.");
        var keyNames = declarations[0].Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (keyNames.Length == 0)
            throw new InvalidOperationException($"Lua script '{name}' has an empty '--@keys' line; every script receives at least one key of its queue.");
        foreach (var keyName in keyNames)
        {
            if (!ScriptKeys.IsKnown(keyName))
                throw new InvalidOperationException($"Lua script '{name}' declares key '{keyName}', which is not one of: {string.Join(' ', ScriptKeys.KnownNames)}.");
        }

        if (keyNames.Distinct(StringComparer.Ordinal).Count() != keyNames.Length)
            throw new InvalidOperationException($"Lua script '{name}' declares a key twice in '{declarations[0].Value.Trim()}'.");

        // The table q goes right after the declaration, before the helpers and the script's own code.
        var seen = new HashSet<string> { name };
        var source = KeysPattern().Replace(text, match => match.Value.TrimEnd('\r') + "\n" + KeyTable(keyNames), 1);
        source = IncludePattern().Replace(source, match => Expand(match.Groups[1].Value, seen));
        return new EmbeddedScript(name, keyNames, source);
    }

    /// <summary>
    /// The Lua line that builds <c>q</c> from <c>KEYS</c>: plain names become fields (<c>q.ready = KEYS[1]</c>), a dotted
    /// name a field of a nested table (<c>q.error.ready</c>).
    /// </summary>
    static string KeyTable(IReadOnlyList<string> keyNames)
    {
        var fields = new List<string>();
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < keyNames.Count; i++)
        {
            var dot = keyNames[i].IndexOf('.', StringComparison.Ordinal);
            var field = $"{(dot < 0 ? keyNames[i] : keyNames[i][(dot + 1)..])} = KEYS[{i + 1}]";
            if (dot < 0)
            {
                fields.Add(field);
                continue;
            }

            var group = keyNames[i][..dot];
            if (!groups.TryGetValue(group, out var members))
            {
                groups[group] = members = [];
                fields.Add(group);
            }

            members.Add(field);
        }

        var parts = fields.Select(f => groups.TryGetValue(f, out var members) ? $"{f} = {{ {string.Join(", ", members)} }}" : f);
        return $"local q = {{ {string.Join(", ", parts)} }}";
    }

    static string Expand(string name, HashSet<string> seen)
    {
        if (!seen.Add(name))
            return string.Empty;
        var text = ReadResource(name);
        if (KeysPattern().IsMatch(text))
            throw new InvalidOperationException($"Lua helper '{name}' has a '--@keys' line; only a top-level script declares keys.");
        return IncludePattern().Replace(text, match => Expand(match.Groups[1].Value, seen));
    }

    static string ReadResource(string name)
    {
        // "includes/name" is a helper under Scripts/includes, embedded as "_includes.name".
        var resource = $"RedisPriorityTransport.Scripts.{name.Replace("includes/", "_includes.", StringComparison.Ordinal)}.lua";
        using var stream = typeof(EmbeddedScript).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded Lua script '{resource}' is missing from {typeof(EmbeddedScript).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^--@include\s+(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex IncludePattern();

    [GeneratedRegex(@"^--@keys[ \t]*([^\r\n]*?)[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex KeysPattern();
}

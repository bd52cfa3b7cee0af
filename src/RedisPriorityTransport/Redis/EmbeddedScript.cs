using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace RedisPriorityTransport.Redis;

/// <summary>One Lua script from the embedded resources, with its includes inlined and its SHA-1 computed.</summary>
internal sealed partial class EmbeddedScript
{
    EmbeddedScript(string name, string source)
    {
        Name = name;
        Source = source;
        Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(source));
    }

    public string Name { get; }
    public string Source { get; }
    public byte[] Sha1 { get; }

    public static EmbeddedScript Load(string name) => new(name, Expand(name, new HashSet<string>()));

    static string Expand(string name, HashSet<string> seen)
    {
        if (!seen.Add(name))
            return string.Empty;
        var text = ReadResource(name);
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
}

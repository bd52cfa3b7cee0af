using System.Security.Cryptography;

namespace RedisPriorityTransport.Dashboard.Rendering;

/// <summary>The stylesheet and script, embedded in the assembly so the dashboard needs no static files and no CDN.</summary>
internal static class Assets
{
    static readonly Dictionary<string, (byte[] Content, string ContentType)> Files = Load();

    /// <summary>A hash of the assets, appended to their URLs so a new version is never served from a stale cache.</summary>
    public static string Version { get; } = ComputeVersion();

    public static bool TryGet(string name, out byte[] content, out string contentType)
    {
        if (Files.TryGetValue(name, out var file))
        {
            (content, contentType) = file;
            return true;
        }

        content = [];
        contentType = "";
        return false;
    }

    static Dictionary<string, (byte[], string)> Load()
    {
        const string prefix = "RedisPriorityTransport.Dashboard.Assets.";
        var assembly = typeof(Assets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var name = resource[prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            files[name] = (buffer.ToArray(), type);
        }

        return files;
    }

    static string ComputeVersion()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, file) in Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            hash.AppendData(file.Content);
        }

        return Convert.ToHexString(hash.GetHashAndReset())[..12].ToLowerInvariant();
    }
}

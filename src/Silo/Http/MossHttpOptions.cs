using MossGrains.Grains.Naming;
using MossGrains.Silo.Hosting;
using MossGrains.Silo.Http.RateLimiting;

namespace MossGrains.Silo.Http;

/// <summary>
/// The HTTP API's settings, bound from <c>Moss:Http</c>: the keys of each project (<c>Projects:{project}:Keys</c> in plain
/// text, hashed at start, or <c>Projects:{project}:KeyHashes</c> as hex SHA-256), whether the API may run with no key at all,
/// and the largest request body.
/// </summary>
public sealed class MossHttpOptions
{
    public const string Section = "Moss:Http";

    /// <summary>With no key configured, serve the API open even in cluster mode. Default false (a single Localhost node runs open anyway, and logs it).</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Default of <see cref="MaxRequestBodyBytes"/>: 16 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 16 * 1024 * 1024;

    /// <summary>Largest request body; a larger one is refused with 413. Default 16 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>Keys of operators, in plain text (hashed at start): they open the Orleans Dashboard (<c>/dashboard</c>), which shows the whole cluster. No project key opens it.</summary>
    public IList<string> OperatorKeys { get; } = [];

    /// <summary>SHA-256 of each operator key in hexadecimal.</summary>
    public IList<string> OperatorKeyHashes { get; } = [];

    /// <summary>Request rate of each project on each silo, unless the project sets its own (<c>Projects:{project}:RateLimit</c>).</summary>
    public MossRateLimit RateLimit { get; set; } = new();

    /// <summary>Keys (and an optional own rate limit) by project id.</summary>
    public IDictionary<string, MossHttpProjectKeys> Projects { get; } = new Dictionary<string, MossHttpProjectKeys>(StringComparer.Ordinal);

    /// <summary>The request rate of <paramref name="project"/>: its own, else <see cref="RateLimit"/>.</summary>
    public MossRateLimit RateLimitOf(string project) =>
        Projects.TryGetValue(project, out var own) && own.RateLimit is { } limit ? limit : RateLimit;

    /// <summary>The setting that holds the request rate of <paramref name="project"/>.</summary>
    public string RateLimitSetting(string project) =>
        Projects.TryGetValue(project, out var own) && own.RateLimit is not null ? $"{Section}:Projects:{project}:RateLimit" : $"{Section}:RateLimit";

    /// <summary>Refuses settings the API cannot run with, naming the setting.</summary>
    public void Validate(ClusteringMode clustering)
    {
        if (MaxRequestBodyBytes < 1)
        {
            throw new InvalidOperationException($"{Section}:MaxRequestBodyBytes ({MaxRequestBodyBytes}) must be at least 1.");
        }

        foreach (var (project, keys) in Projects)
        {
            try
            {
                _ = IndexKey.For(project, "key-check");
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException($"{Section}:Projects:{project} does not name a project: {e.Message}", e);
            }

            CheckKeys($"{Section}:Projects:{project}:Keys", keys.Keys, $"{Section}:Projects:{project}:KeyHashes", keys.KeyHashes);
            keys.RateLimit?.Validate($"{Section}:Projects:{project}:RateLimit");
        }

        RateLimit.Validate($"{Section}:RateLimit");
        CheckKeys($"{Section}:OperatorKeys", OperatorKeys, $"{Section}:OperatorKeyHashes", OperatorKeyHashes);

        bool anyKey = Projects.Values.Any(p => p.Keys.Count + p.KeyHashes.Count > 0);
        if (!anyKey && clustering == ClusteringMode.AzureStorage && !AllowAnonymous)
        {
            throw new InvalidOperationException(
                $"No key is configured under {Section}:Projects, and a cluster (Moss:Silo:Clustering=AzureStorage) does not serve the HTTP API open. " +
                $"Configure {Section}:Projects:{{project}}:Keys or KeyHashes, or set {Section}:AllowAnonymous=true.");
        }
    }

    private static void CheckKeys(string keysSetting, IList<string> keys, string hashesSetting, IList<string> hashes)
    {
        if (keys.Any(string.IsNullOrEmpty))
        {
            throw new InvalidOperationException($"{keysSetting} holds an empty key.");
        }

        if (hashes.FirstOrDefault(h => !ProjectKeys.IsSha256Hex(h)) is { } bad)
        {
            throw new InvalidOperationException($"{hashesSetting} holds '{bad}'; each is a SHA-256 hash in 64 hexadecimal digits.");
        }
    }
}

/// <summary>The keys of one project: plain (hashed when the silo starts) or already hashed; and its own request rate, if any.</summary>
public sealed class MossHttpProjectKeys
{
    /// <summary>This project's request rate on each silo; null = <see cref="MossHttpOptions.RateLimit"/>.</summary>
    public MossRateLimit? RateLimit { get; set; }

    public IList<string> Keys { get; } = [];

    /// <summary>SHA-256 of each key in hexadecimal (<c>printf %s "$KEY" | sha256sum</c>).</summary>
    public IList<string> KeyHashes { get; } = [];
}

using System.Security.Cryptography;
using System.Text;

namespace MossGrains.Silo.Http;

/// <summary>What a presented key allows on one project.</summary>
public enum KeyCheck
{
    Allowed,

    /// <summary>No key was presented (401).</summary>
    Missing,

    /// <summary>The key is nobody's (401).</summary>
    Unknown,

    /// <summary>The key is another project's (403).</summary>
    Forbidden,
}

/// <summary>
/// The projects' keys, held only as SHA-256 hashes. A presented key is hashed and compared with every stored hash in
/// constant time, so neither the outcome's timing nor an early exit tells how much of a key matched.
/// </summary>
public sealed class ProjectKeys
{
    private readonly (string Project, byte[] Hash)[] _hashes;
    private readonly byte[][] _operatorHashes;

    public ProjectKeys(MossHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hashes =
        [
            .. options.Projects.SelectMany(p => p.Value.Keys.Select(k => (p.Key, HashOf(k)))
                .Concat(p.Value.KeyHashes.Select(h => (p.Key, Convert.FromHexString(h))))),
        ];
        _operatorHashes = [.. options.OperatorKeys.Select(HashOf).Concat(options.OperatorKeyHashes.Select(Convert.FromHexString))];
    }

    /// <summary>True when no project key is configured: every API request is allowed.</summary>
    public bool IsOpen => _hashes.Length == 0;

    /// <summary>True when operator keys are configured.</summary>
    public bool HasOperatorKeys => _operatorHashes.Length > 0;

    /// <summary>
    /// Whether <paramref name="presentedKey"/> is an operator's. With no key configured at all, everyone is; with project
    /// keys but no operator key, no one is (a project's key never opens the cluster-wide view).
    /// </summary>
    public KeyCheck CheckOperator(string? presentedKey)
    {
        if (IsOpen && !HasOperatorKeys)
        {
            return KeyCheck.Allowed;
        }

        if (string.IsNullOrEmpty(presentedKey))
        {
            return KeyCheck.Missing;
        }

        byte[] presented = HashOf(presentedKey);
        bool allowed = false;
        foreach (byte[] hash in _operatorHashes)
        {
            allowed |= CryptographicOperations.FixedTimeEquals(presented, hash);
        }

        return allowed ? KeyCheck.Allowed : KeyCheck.Unknown;
    }

    /// <summary>The projects whose key <paramref name="presentedKey"/> is (none for nobody's key), compared in constant time.</summary>
    public IReadOnlyList<string> ProjectsOf(string presentedKey)
    {
        ArgumentNullException.ThrowIfNull(presentedKey);
        byte[] presented = HashOf(presentedKey);
        var projects = new List<string>(1);
        foreach (var (owner, hash) in _hashes)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, hash) && !projects.Contains(owner, StringComparer.Ordinal))
            {
                projects.Add(owner);
            }
        }

        return projects;
    }

    public KeyCheck Check(string project, string? presentedKey)
    {
        if (IsOpen)
        {
            return KeyCheck.Allowed;
        }

        if (string.IsNullOrEmpty(presentedKey))
        {
            return KeyCheck.Missing;
        }

        byte[] presented = HashOf(presentedKey);
        bool known = false, allowed = false;
        foreach (var (owner, hash) in _hashes)
        {
            bool match = CryptographicOperations.FixedTimeEquals(presented, hash);
            known |= match;
            allowed |= match && string.Equals(owner, project, StringComparison.Ordinal);
        }

        return allowed ? KeyCheck.Allowed : known ? KeyCheck.Forbidden : KeyCheck.Unknown;
    }

    public static byte[] HashOf(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    internal static bool IsSha256Hex(string? value) => value is { Length: 64 } && value.All(char.IsAsciiHexDigit);
}

using System.Text;

namespace MossGrains.Runtime;

/// <summary>
/// The identity of a grain: its type name (the grain interface's stable alias) and its string key.
/// Equal ids name the same virtual actor on every silo and every client.
/// </summary>
public readonly record struct GrainId(string Type, string Key)
{
    /// <summary>
    /// A hash that is the same in every process and on every machine (unlike <see cref="string.GetHashCode()"/>):
    /// used for hash-based placement and for splitting reminder ownership into ring ranges.
    /// FNV-1a over the UTF-8 bytes of <c>Type + '/' + Key</c>.
    /// </summary>
    public uint GetUniformHashCode()
    {
        const uint offset = 2166136261;
        const uint prime = 16777619;
        uint hash = offset;
        Span<byte> buffer = stackalloc byte[256];
        foreach (var part in (ReadOnlySpan<string>)[Type, "/", Key])
        {
            int max = Encoding.UTF8.GetMaxByteCount(part.Length);
            Span<byte> bytes = max <= buffer.Length ? buffer : new byte[max];
            int written = Encoding.UTF8.GetBytes(part, bytes);
            foreach (byte b in bytes[..written])
            {
                hash = (hash ^ b) * prime;
            }
        }

        return hash;
    }

    public override string ToString() => $"{Type}/{Key}";
}

using System.Security.Cryptography;
using System.Text;

namespace MossGrains.Grains.FileStorage;

/// <summary>A file name for any grain id or state name: escaped so it names one file in one folder, shortened with a hash when long.</summary>
internal static class FileNames
{
    private const int MaxLength = 160;

    public static string For(string id)
    {
        string escaped = Uri.EscapeDataString(id).Replace("%", "~", StringComparison.Ordinal);
        if (escaped.Length <= MaxLength && escaped is not ("." or ".."))
        {
            return escaped;
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..32];
        return $"{escaped[..Math.Min(escaped.Length, MaxLength - 33)]}-{hash}";
    }
}

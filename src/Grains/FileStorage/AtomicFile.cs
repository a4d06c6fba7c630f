using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MossGrains.Grains.FileStorage;

/// <summary>
/// A small record file replaced whole: written to a temporary file beside it, flushed to disk, then renamed over it (an
/// atomic replace on one file system), so a crash leaves the old record or the new one, never a mix. Each record carries
/// its ETag and a SHA-256 of its bytes: a file that does not verify (torn, truncated, corrupt) is refused, never read as state.
/// Layout: <c>MOSSREC1</c> | ETag length (int32 LE) | ETag (UTF-8) | payload length (int32 LE) | payload | SHA-256 of all before.
/// </summary>
internal static class AtomicFile
{
    private const string TempSuffix = ".tmp";
    private const int HashLength = 32;

    private static ReadOnlySpan<byte> Magic => "MOSSREC1"u8;

    /// <summary>A verified record: its ETag and payload.</summary>
    public sealed record Record(string ETag, ReadOnlyMemory<byte> Payload);

    public static bool IsTemporary(string path) => path.EndsWith(TempSuffix, StringComparison.Ordinal);

    /// <summary>The record at <paramref name="path"/>; null when there is none; <see cref="InvalidDataException"/> when it does not verify.</summary>
    public static async Task<Record?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return Parse(bytes) ?? throw new InvalidDataException($"State file {path} is torn or corrupt ({bytes.Length} bytes that do not verify); it is not read as state.");
    }

    /// <summary>Replaces the record at <paramref name="path"/> atomically (temporary file, flush, rename).</summary>
    public static async Task WriteAsync(string path, string etag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = $"{path}.{Guid.NewGuid():N}{TempSuffix}";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous))
            {
                await file.WriteAsync(Frame(etag, payload.Span), cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static void Delete(string path) => File.Delete(path);

    private static byte[] Frame(string etag, ReadOnlySpan<byte> payload)
    {
        int etagLength = Encoding.UTF8.GetByteCount(etag);
        var bytes = new byte[Magic.Length + 4 + etagLength + 4 + payload.Length + HashLength];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        int at = Magic.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], etagLength);
        at += 4 + Encoding.UTF8.GetBytes(etag, span[(at + 4)..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], payload.Length);
        at += 4;
        payload.CopyTo(span[at..]);
        at += payload.Length;
        SHA256.HashData(span[..at], span[at..]);
        return bytes;
    }

    private static Record? Parse(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (span.Length < Magic.Length + 8 + HashLength || !span.StartsWith(Magic))
        {
            return null;
        }

        int body = span.Length - HashLength;
        Span<byte> hash = stackalloc byte[HashLength];
        SHA256.HashData(span[..body], hash);
        if (!hash.SequenceEqual(span[body..]))
        {
            return null;
        }

        int at = Magic.Length;
        int etagLength = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
        if (etagLength < 0 || at + 4 + etagLength + 4 > body)
        {
            return null;
        }

        string etag = Encoding.UTF8.GetString(span.Slice(at + 4, etagLength));
        at += 4 + etagLength;
        int payloadLength = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
        at += 4;
        return payloadLength == body - at ? new Record(etag, bytes.AsMemory(at, payloadLength)) : null;
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MossGrains.IndexStore.Log;

/// <summary>
/// Frames of the write-ahead log: <c>[length: int32 LE][check: first 4 bytes of SHA-256(payload)][payload]</c>.
/// A crash can leave a partial last frame; reading stops there and reports it.
/// </summary>
public static class LogFraming
{
    public const int HeaderLength = 8;

    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[HeaderLength + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        SHA256.HashData(payload)[..4].CopyTo(frame.AsSpan(4));
        payload.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    public static LogReadResult Unframe(ReadOnlySpan<byte> bytes)
    {
        var records = new List<byte[]>();
        int position = 0;
        while (position < bytes.Length)
        {
            if (bytes.Length - position < HeaderLength)
            {
                return new LogReadResult(records, TornTail: true);
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes[position..]);
            if (length < 0 || length > bytes.Length - position - HeaderLength)
            {
                return new LogReadResult(records, TornTail: true);
            }

            var payload = bytes.Slice(position + HeaderLength, length);
            if (!SHA256.HashData(payload).AsSpan(0, 4).SequenceEqual(bytes.Slice(position + 4, 4)))
            {
                return new LogReadResult(records, TornTail: true);
            }

            records.Add(payload.ToArray());
            position += HeaderLength + length;
        }

        return new LogReadResult(records, TornTail: false);
    }
}

using System.Buffers;
using MossGrains.Runtime.Metadata;
using MossGrains.Runtime.Serialization;

namespace MossGrains.Runtime.Messaging;

/// <summary>What the receiving silo should do with a call that has no local activation.</summary>
[Flags]
internal enum CallFlags : byte
{
    None = 0,

    /// <summary>The sender chose this silo (placement or directory): activate here if needed.</summary>
    ActivateHere = 1,
}

internal enum ResponseStatus : byte
{
    Ok = 0,
    Exception = 1,

    /// <summary>The silo cannot take the call (stopping, or a newer generation on the endpoint): re-route.</summary>
    Rejected = 2,
}

/// <summary>A decoded request.</summary>
internal sealed record CallRequest(GrainId Target, GrainMethod Method, object?[] Arguments, CallFlags Flags, int ForwardCount, long TargetGeneration);

/// <summary>A decoded response; <see cref="SiloActivationCount"/> is the responder's load, piggy-backed for placement.</summary>
internal readonly record struct CallResponse(ResponseStatus Status, int SiloActivationCount, object? Result, Exception? Exception, string? RejectReason);

/// <summary>
/// The envelope of a remote call. Request: version, flags, forward count, target silo generation,
/// grain type, key, method id, then the serializer's encoding of the arguments. Response: status,
/// the responder's activation count, then the serializer's encoding of the result, the exception
/// (type name + message) or a rejection reason.
/// </summary>
internal sealed class MessageCodec(IMessageSerializer serializer, GrainTypeRegistry registry)
{
    private const byte Version = 1;

    public void WriteRequest(IBufferWriter<byte> output, GrainId target, GrainMethod method, object?[] args, CallFlags flags, int forwardCount, long targetGeneration)
    {
        var writer = new MessageWriter(output);
        writer.WriteByte(Version);
        writer.WriteByte((byte)flags);
        writer.WriteByte((byte)forwardCount);
        writer.WriteVarInt64(targetGeneration);
        writer.WriteString(target.Type);
        writer.WriteString(target.Key);
        writer.WriteVarUInt64(method.Id);
        var wireArgs = method.CancellationTokenIndex >= 0 ? args.AsSpan(0, args.Length - 1) : args;
        serializer.SerializeArguments(output, wireArgs, method.WireParameterTypes);
    }

    /// <summary>Decodes a request; <paramref name="cancellationToken"/> becomes the grain method's CancellationToken argument, if it has one.</summary>
    public CallRequest ReadRequest(ReadOnlySequence<byte> input, CancellationToken cancellationToken)
    {
        var reader = new MessageReader(input);
        byte version = reader.ReadByte("the request version");
        if (version != Version)
        {
            throw reader.Invalid($"Unsupported request version {version}; this silo speaks version {Version}");
        }

        var flags = (CallFlags)reader.ReadByte("the request flags");
        int forwardCount = reader.ReadByte("the forward count");
        long generation = reader.ReadVarInt64("the target generation");
        var target = new GrainId(reader.ReadString("the grain type"), reader.ReadString("the grain key"));
        ulong methodId = reader.ReadVarUInt64("the method id");
        if (methodId > ushort.MaxValue)
        {
            throw reader.Invalid($"Method id {methodId} is out of range");
        }

        var method = registry.GetInterface(target.Type).GetMethod((ushort)methodId);
        var wireArgs = serializer.DeserializeArguments(input.Slice(reader.Position), method.WireParameterTypes);
        object?[] args = wireArgs;
        if (method.CancellationTokenIndex >= 0)
        {
            args = new object?[wireArgs.Length + 1];
            wireArgs.CopyTo(args, 0);
            args[^1] = cancellationToken;
        }

        return new CallRequest(target, method, args, flags, forwardCount, generation);
    }

    public void WriteResult(IBufferWriter<byte> output, GrainMethod method, object? result, int activationCount)
    {
        WriteHeader(output, ResponseStatus.Ok, activationCount);
        if (method.ResultType != typeof(void))
        {
            serializer.Serialize(output, result, method.ResultType);
        }
    }

    public static void WriteException(IBufferWriter<byte> output, Exception exception, int activationCount)
    {
        WriteHeader(output, ResponseStatus.Exception, activationCount);
        ExceptionEncoding.Write(output, exception, includeStackTrace: false);
    }

    public static void WriteRejection(IBufferWriter<byte> output, string reason, int activationCount)
    {
        WriteHeader(output, ResponseStatus.Rejected, activationCount);
        new MessageWriter(output).WriteString(reason);
    }

    public CallResponse ReadResponse(ReadOnlySequence<byte> input, GrainMethod method)
    {
        var reader = new MessageReader(input);
        var status = (ResponseStatus)reader.ReadByte("the response status");
        int count = (int)Math.Min(reader.ReadVarUInt64("the activation count"), int.MaxValue);
        var rest = input.Slice(reader.Position);
        return status switch
        {
            ResponseStatus.Ok => new CallResponse(status, count, method.ResultType == typeof(void) ? null : serializer.Deserialize(rest, method.ResultType), null, null),
            ResponseStatus.Exception => new CallResponse(status, count, null, ToException(ExceptionEncoding.Read(rest)), null),
            ResponseStatus.Rejected => new CallResponse(status, count, null, null, reader.ReadString("the rejection reason")),
            _ => throw reader.Invalid($"Unknown response status {(byte)status}"),
        };
    }

    private static Exception ToException(RemoteExceptionInfo info) =>
        ExceptionEncoding.TryRecreate(info, out var exception) ? exception : new RemoteGrainException(info.TypeName, info.Message);

    private static void WriteHeader(IBufferWriter<byte> output, ResponseStatus status, int activationCount)
    {
        var writer = new MessageWriter(output);
        writer.WriteByte((byte)status);
        writer.WriteVarUInt64((ulong)activationCount);
    }
}

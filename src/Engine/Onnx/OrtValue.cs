using System.Runtime.InteropServices;

namespace MossGrains.Engine.Onnx;

/// <summary>A tensor ONNX Runtime produced (a model output). Its memory belongs to ONNX Runtime until disposed.</summary>
public sealed unsafe class OrtValue : IDisposable
{
    private readonly OrtSafeHandle _handle;
    private readonly IntPtr _data;
    private readonly long _elementCount;

    /// <summary>Takes ownership of <paramref name="value"/>: it is released by <see cref="Dispose"/>, or here if reading it fails.</summary>
    internal OrtValue(OrtLibrary library, IntPtr value)
    {
        var api = library.Api;
        _handle = new OrtSafeHandle(value, api.ReleaseValue);
        try
        {
            (ElementType, Shape, _data, _elementCount) = Describe(api, value);
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    public OrtElementType ElementType { get; }

    /// <summary>The tensor's dimensions.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The float elements, row-major. Valid until this value is disposed.</summary>
    public ReadOnlySpan<float> GetFloats()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (ElementType != OrtElementType.Float)
        {
            throw new InvalidOperationException($"The tensor holds {ElementType} elements, not Float.");
        }

        return new ReadOnlySpan<float>((void*)_data, checked((int)_elementCount));
    }

    public void Dispose() => _handle.Dispose();

    private static (OrtElementType Type, long[] Shape, IntPtr Data, long Count) Describe(OrtApi api, IntPtr value)
    {
        IntPtr shapeInfo;
        api.Check(api.GetTensorTypeAndShape(value, &shapeInfo));
        OrtElementType type;
        long[] shape;
        try
        {
            (type, shape) = OrtSession.ReadTensorShape(api, shapeInfo);
        }
        finally
        {
            api.ReleaseTensorTypeAndShapeInfo(shapeInfo);
        }

        void* data;
        api.Check(api.GetTensorMutableData(value, &data));
        long count = 1;
        foreach (var dimension in shape)
        {
            count *= dimension;
        }

        return (type, shape, (IntPtr)data, count);
    }
}

/// <summary>The outputs of one <see cref="OrtSession.Run"/>, in the order requested; disposing releases them all.</summary>
public sealed class OrtRunResult : IDisposable
{
    private readonly OrtValue[] _values;

    internal OrtRunResult(OrtValue[] values) => _values = values;

    public int Count => _values.Length;

    public OrtValue this[int index] => _values[index];

    public void Dispose()
    {
        foreach (var value in _values)
        {
            value.Dispose();
        }
    }
}

internal static class OrtStrings
{
    /// <summary>Copies a string ONNX Runtime allocated with its default allocator, then frees it there.</summary>
    public static unsafe string TakeAllocated(OrtApi api, IntPtr allocator, IntPtr utf8)
    {
        try
        {
            return Marshal.PtrToStringUTF8(utf8) ?? string.Empty;
        }
        finally
        {
            api.Check(api.AllocatorFree(allocator, utf8));
        }
    }
}

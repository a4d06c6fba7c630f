using System.Runtime.InteropServices;

namespace MossGrains.Engine.Onnx;

/// <summary>Owns one ONNX Runtime object (env, session, value…) and calls its <c>ReleaseXxx</c> exactly once.</summary>
internal sealed unsafe class OrtSafeHandle : SafeHandle
{
    private readonly delegate* unmanaged<IntPtr, void> _release;

    public OrtSafeHandle(IntPtr handle, delegate* unmanaged<IntPtr, void> release)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _release = release;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        _release(handle);
        return true;
    }
}

/// <summary>A block of native memory from <see cref="NativeMemory.Alloc(nuint)"/>, freed once.</summary>
internal sealed unsafe class NativeMemoryHandle : SafeHandle
{
    public NativeMemoryHandle(nuint bytes)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((IntPtr)NativeMemory.Alloc(bytes));
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMemory.Free((void*)handle);
        return true;
    }
}

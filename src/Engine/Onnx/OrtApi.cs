namespace MossGrains.Engine.Onnx;

/// <summary>
/// The slice of ONNX Runtime's C API (<c>OrtApi</c>, onnxruntime_c_api.h) this binding uses. The
/// native struct is a table of function pointers that only ever grows at the end, so each entry's
/// index is fixed forever; every entry used here already exists in API version 1.
/// </summary>
internal sealed unsafe class OrtApi
{
    /// <summary>
    /// The API version this binding requests from <c>OrtApiBase::GetApi</c>: the lowest one that
    /// has every function below, so the binding works with any ONNX Runtime release since 1.0.
    /// </summary>
    public const uint PinnedVersion = 1;

    // Indices into the OrtApi function table (count of pointers before the entry).
    private const int IndexGetErrorCode = 1;
    private const int IndexGetErrorMessage = 2;
    private const int IndexCreateEnv = 3;
    private const int IndexCreateSession = 7;
    private const int IndexRun = 9;
    private const int IndexCreateSessionOptions = 10;
    private const int IndexSetSessionGraphOptimizationLevel = 23;
    private const int IndexSetIntraOpNumThreads = 24;
    private const int IndexSetInterOpNumThreads = 25;
    private const int IndexSessionGetInputCount = 30;
    private const int IndexSessionGetOutputCount = 31;
    private const int IndexSessionGetInputTypeInfo = 33;
    private const int IndexSessionGetOutputTypeInfo = 34;
    private const int IndexSessionGetInputName = 36;
    private const int IndexSessionGetOutputName = 37;
    private const int IndexCreateTensorWithDataAsOrtValue = 49;
    private const int IndexGetTensorMutableData = 51;
    private const int IndexCastTypeInfoToTensorInfo = 55;
    private const int IndexGetOnnxTypeFromTypeInfo = 56;
    private const int IndexGetTensorElementType = 60;
    private const int IndexGetDimensionsCount = 61;
    private const int IndexGetDimensions = 62;
    private const int IndexGetTensorTypeAndShape = 65;
    private const int IndexCreateCpuMemoryInfo = 69;
    private const int IndexAllocatorFree = 76;
    private const int IndexGetAllocatorWithDefaultOptions = 78;
    private const int IndexReleaseEnv = 92;
    private const int IndexReleaseStatus = 93;
    private const int IndexReleaseMemoryInfo = 94;
    private const int IndexReleaseSession = 95;
    private const int IndexReleaseValue = 96;
    private const int IndexReleaseTypeInfo = 98;
    private const int IndexReleaseTensorTypeAndShapeInfo = 99;
    private const int IndexReleaseSessionOptions = 100;

    public OrtApi(IntPtr table)
    {
        var f = (IntPtr*)table;
        GetErrorCode = (delegate* unmanaged<IntPtr, int>)f[IndexGetErrorCode];
        GetErrorMessage = (delegate* unmanaged<IntPtr, byte*>)f[IndexGetErrorMessage];
        CreateEnv = (delegate* unmanaged<int, byte*, IntPtr*, IntPtr>)f[IndexCreateEnv];
        CreateSession = (delegate* unmanaged<IntPtr, byte*, IntPtr, IntPtr*, IntPtr>)f[IndexCreateSession];
        Run = (delegate* unmanaged<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr>)f[IndexRun];
        CreateSessionOptions = (delegate* unmanaged<IntPtr*, IntPtr>)f[IndexCreateSessionOptions];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<IntPtr, int, IntPtr>)f[IndexSetSessionGraphOptimizationLevel];
        SetIntraOpNumThreads = (delegate* unmanaged<IntPtr, int, IntPtr>)f[IndexSetIntraOpNumThreads];
        SetInterOpNumThreads = (delegate* unmanaged<IntPtr, int, IntPtr>)f[IndexSetInterOpNumThreads];
        SessionGetInputCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)f[IndexSessionGetInputCount];
        SessionGetOutputCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)f[IndexSessionGetOutputCount];
        SessionGetInputTypeInfo = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)f[IndexSessionGetInputTypeInfo];
        SessionGetOutputTypeInfo = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)f[IndexSessionGetOutputTypeInfo];
        SessionGetInputName = (delegate* unmanaged<IntPtr, nuint, IntPtr, IntPtr*, IntPtr>)f[IndexSessionGetInputName];
        SessionGetOutputName = (delegate* unmanaged<IntPtr, nuint, IntPtr, IntPtr*, IntPtr>)f[IndexSessionGetOutputName];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)f[IndexCreateTensorWithDataAsOrtValue];
        GetTensorMutableData = (delegate* unmanaged<IntPtr, void**, IntPtr>)f[IndexGetTensorMutableData];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)f[IndexCastTypeInfoToTensorInfo];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<IntPtr, int*, IntPtr>)f[IndexGetOnnxTypeFromTypeInfo];
        GetTensorElementType = (delegate* unmanaged<IntPtr, int*, IntPtr>)f[IndexGetTensorElementType];
        GetDimensionsCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)f[IndexGetDimensionsCount];
        GetDimensions = (delegate* unmanaged<IntPtr, long*, nuint, IntPtr>)f[IndexGetDimensions];
        GetTensorTypeAndShape = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)f[IndexGetTensorTypeAndShape];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, IntPtr*, IntPtr>)f[IndexCreateCpuMemoryInfo];
        AllocatorFree = (delegate* unmanaged<IntPtr, IntPtr, IntPtr>)f[IndexAllocatorFree];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<IntPtr*, IntPtr>)f[IndexGetAllocatorWithDefaultOptions];
        ReleaseEnv = (delegate* unmanaged<IntPtr, void>)f[IndexReleaseEnv];
        ReleaseStatus = (delegate* unmanaged<IntPtr, void>)f[IndexReleaseStatus];
        ReleaseMemoryInfo = (delegate* unmanaged<IntPtr, void>)f[IndexReleaseMemoryInfo];
        ReleaseSession = (delegate* unmanaged<IntPtr, void>)f[IndexReleaseSession];
        ReleaseValue = (delegate* unmanaged<IntPtr, void>)f[IndexReleaseValue];
        ReleaseTypeInfo = (delegate* unmanaged<IntPtr, void>)f[IndexReleaseTypeInfo];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<IntPtr, void>)f[IndexReleaseTensorTypeAndShapeInfo];
        ReleaseSessionOptions = (delegate* unmanaged<IntPtr, void>)f[IndexReleaseSessionOptions];
    }

    public delegate* unmanaged<IntPtr, int> GetErrorCode { get; }
    public delegate* unmanaged<IntPtr, byte*> GetErrorMessage { get; }
    public delegate* unmanaged<int, byte*, IntPtr*, IntPtr> CreateEnv { get; }
    public delegate* unmanaged<IntPtr, byte*, IntPtr, IntPtr*, IntPtr> CreateSession { get; }
    public delegate* unmanaged<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr> Run { get; }
    public delegate* unmanaged<IntPtr*, IntPtr> CreateSessionOptions { get; }
    public delegate* unmanaged<IntPtr, int, IntPtr> SetSessionGraphOptimizationLevel { get; }
    public delegate* unmanaged<IntPtr, int, IntPtr> SetIntraOpNumThreads { get; }
    public delegate* unmanaged<IntPtr, int, IntPtr> SetInterOpNumThreads { get; }
    public delegate* unmanaged<IntPtr, nuint*, IntPtr> SessionGetInputCount { get; }
    public delegate* unmanaged<IntPtr, nuint*, IntPtr> SessionGetOutputCount { get; }
    public delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> SessionGetInputTypeInfo { get; }
    public delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> SessionGetOutputTypeInfo { get; }
    public delegate* unmanaged<IntPtr, nuint, IntPtr, IntPtr*, IntPtr> SessionGetInputName { get; }
    public delegate* unmanaged<IntPtr, nuint, IntPtr, IntPtr*, IntPtr> SessionGetOutputName { get; }
    public delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr> CreateTensorWithDataAsOrtValue { get; }
    public delegate* unmanaged<IntPtr, void**, IntPtr> GetTensorMutableData { get; }
    public delegate* unmanaged<IntPtr, IntPtr*, IntPtr> CastTypeInfoToTensorInfo { get; }
    public delegate* unmanaged<IntPtr, int*, IntPtr> GetOnnxTypeFromTypeInfo { get; }
    public delegate* unmanaged<IntPtr, int*, IntPtr> GetTensorElementType { get; }
    public delegate* unmanaged<IntPtr, nuint*, IntPtr> GetDimensionsCount { get; }
    public delegate* unmanaged<IntPtr, long*, nuint, IntPtr> GetDimensions { get; }
    public delegate* unmanaged<IntPtr, IntPtr*, IntPtr> GetTensorTypeAndShape { get; }
    public delegate* unmanaged<int, int, IntPtr*, IntPtr> CreateCpuMemoryInfo { get; }
    public delegate* unmanaged<IntPtr, IntPtr, IntPtr> AllocatorFree { get; }
    public delegate* unmanaged<IntPtr*, IntPtr> GetAllocatorWithDefaultOptions { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseEnv { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseStatus { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseMemoryInfo { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseSession { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseValue { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseTypeInfo { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseTensorTypeAndShapeInfo { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseSessionOptions { get; }

    /// <summary>Throws <see cref="OrtException"/> carrying ONNX Runtime's message when <paramref name="status"/> is an error; releases it.</summary>
    public void Check(IntPtr status)
    {
        if (status == IntPtr.Zero)
        {
            return;
        }

        var code = (OrtErrorCode)GetErrorCode(status);
        var message = System.Runtime.InteropServices.Marshal.PtrToStringUTF8((IntPtr)GetErrorMessage(status)) ?? string.Empty;
        ReleaseStatus(status);
        throw new OrtException(code, message);
    }
}

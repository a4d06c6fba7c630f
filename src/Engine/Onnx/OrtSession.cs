using System.Runtime.InteropServices;
using System.Text;

namespace MossGrains.Engine.Onnx;

/// <summary>
/// A model loaded into ONNX Runtime (<c>OrtSession</c>): its input/output signature and
/// <see cref="Run"/>. Thread-safe: ONNX Runtime allows concurrent runs on one session.
/// </summary>
public sealed unsafe class OrtSession : IDisposable
{
    private readonly OrtLibrary _library;
    private readonly OrtSafeHandle _session;
    private readonly NativeMemoryHandle _names;
    private readonly IntPtr[] _inputNamePointers;
    private readonly IntPtr[] _outputNamePointers;

    private OrtSession(OrtLibrary library, string modelPath, OrtSafeHandle session)
    {
        _library = library;
        _session = session;
        ModelPath = modelPath;
        var api = library.Api;
        var handle = session.DangerousGetHandle();
        Inputs = ReadSignature(api, handle, input: true);
        Outputs = ReadSignature(api, handle, input: false);

        // One native block holds every name as UTF-8, so Run passes names without marshalling.
        var allNames = Inputs.Concat(Outputs).Select(i => Encoding.UTF8.GetBytes(i.Name)).ToArray();
        _names = new NativeMemoryHandle((nuint)allNames.Sum(n => n.Length + 1));
        var cursor = (byte*)_names.DangerousGetHandle();
        var pointers = new IntPtr[allNames.Length];
        for (int i = 0; i < allNames.Length; i++)
        {
            pointers[i] = (IntPtr)cursor;
            allNames[i].CopyTo(new Span<byte>(cursor, allNames[i].Length));
            cursor[allNames[i].Length] = 0;
            cursor += allNames[i].Length + 1;
        }

        _inputNamePointers = pointers[..Inputs.Count];
        _outputNamePointers = pointers[Inputs.Count..];
    }

    /// <summary>The model file this session was loaded from.</summary>
    public string ModelPath { get; }

    /// <summary>The model's inputs, in graph order.</summary>
    public IReadOnlyList<OrtTensorInfo> Inputs { get; }

    /// <summary>The model's outputs, in graph order.</summary>
    public IReadOnlyList<OrtTensorInfo> Outputs { get; }

    /// <summary>Loads <paramref name="modelPath"/> (an .onnx file) with <paramref name="options"/> into <paramref name="library"/> (default: <see cref="OrtLibrary.Default"/>).</summary>
    public static OrtSession Open(string modelPath, OrtSessionOptions? options = null, OrtLibrary? library = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        options ??= new OrtSessionOptions();
        options.Validate();
        var fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"ONNX model file '{fullPath}' does not exist.", fullPath);
        }

        library ??= OrtLibrary.Default;
        var api = library.Api;
        IntPtr sessionOptions;
        api.Check(api.CreateSessionOptions(&sessionOptions));
        try
        {
            api.Check(api.SetIntraOpNumThreads(sessionOptions, options.IntraOpThreads));
            api.Check(api.SetInterOpNumThreads(sessionOptions, options.InterOpThreads));
            api.Check(api.SetSessionGraphOptimizationLevel(sessionOptions, (int)options.GraphOptimizationLevel));
            IntPtr session;
            var pathBytes = Encoding.UTF8.GetBytes(fullPath + "\0");
            fixed (byte* path = pathBytes)
            {
                try
                {
                    api.Check(api.CreateSession(library.Environment, path, sessionOptions, &session));
                }
                catch (OrtException e)
                {
                    throw new InvalidDataException(
                        $"ONNX model '{fullPath}' could not be loaded: {e.Message} " +
                        "Fix: re-export or re-download the model file (an ONNX protobuf, opset supported by ONNX Runtime " + library.Version + ").", e);
                }
            }

            return new OrtSession(library, fullPath, new OrtSafeHandle(session, api.ReleaseSession));
        }
        finally
        {
            api.ReleaseSessionOptions(sessionOptions);
        }
    }

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> (every model input, by name) and returns the
    /// outputs named in <paramref name="outputNames"/>, in that order.
    /// </summary>
    public OrtRunResult Run(ReadOnlySpan<OrtInput> inputs, ReadOnlySpan<string> outputNames)
    {
        if (inputs.Length != Inputs.Count)
        {
            throw new ArgumentException(
                $"The model takes {Inputs.Count} inputs ({string.Join(", ", Inputs.Select(i => i.Name))}) but {inputs.Length} were given.", nameof(inputs));
        }

        if (outputNames.IsEmpty)
        {
            throw new ArgumentException("At least one output name is required.", nameof(outputNames));
        }

        var api = _library.Api;
        int inputCount = inputs.Length;
        int outputCount = outputNames.Length;
        var inputNames = stackalloc IntPtr[inputCount];
        var inputValues = stackalloc IntPtr[inputCount];
        var outputNamePointers = stackalloc IntPtr[outputCount];
        var outputValues = stackalloc IntPtr[outputCount];
        var pins = new GCHandle[inputCount];
        new Span<IntPtr>(inputValues, inputCount).Clear();
        for (int i = 0; i < outputCount; i++)
        {
            outputNamePointers[i] = _outputNamePointers[IndexOf(Outputs, outputNames[i], "output")];
            outputValues[i] = IntPtr.Zero;
        }

        bool addedSession = false;
        bool addedNames = false;
        try
        {
            // Keep the session and its name block alive even if another thread disposes this session mid-run.
            _session.DangerousAddRef(ref addedSession);
            _names.DangerousAddRef(ref addedNames);
            for (int i = 0; i < inputCount; i++)
            {
                ref readonly var input = ref inputs[i];
                inputNames[i] = _inputNamePointers[IndexOf(Inputs, input.Name, "input")];
                pins[i] = GCHandle.Alloc(input.Data, GCHandleType.Pinned);
                fixed (long* shape = input.Shape)
                {
                    IntPtr value;
                    api.Check(api.CreateTensorWithDataAsOrtValue(
                        _library.CpuMemoryInfo,
                        (void*)pins[i].AddrOfPinnedObject(),
                        (nuint)((long)input.Length * input.ElementSize),
                        shape,
                        (nuint)input.Shape.Length,
                        (int)input.ElementType,
                        &value));
                    inputValues[i] = value;
                }
            }

            api.Check(api.Run(_session.DangerousGetHandle(), IntPtr.Zero, inputNames, inputValues, (nuint)inputCount, outputNamePointers, (nuint)outputCount, outputValues));
            var results = new OrtValue[outputCount];
            int taken = 0;
            try
            {
                for (; taken < outputCount; taken++)
                {
                    var value = outputValues[taken];
                    outputValues[taken] = IntPtr.Zero;
                    results[taken] = new OrtValue(_library, value);
                }
            }
            catch
            {
                for (int i = 0; i < taken; i++)
                {
                    results[i].Dispose();
                }

                throw;
            }

            return new OrtRunResult(results);
        }
        finally
        {
            for (int i = 0; i < inputCount; i++)
            {
                if (inputValues[i] != IntPtr.Zero)
                {
                    api.ReleaseValue(inputValues[i]);
                }

                if (pins[i].IsAllocated)
                {
                    pins[i].Free();
                }
            }

            for (int i = 0; i < outputCount; i++)
            {
                if (outputValues[i] != IntPtr.Zero)
                {
                    api.ReleaseValue(outputValues[i]);
                }
            }

            if (addedNames)
            {
                _names.DangerousRelease();
            }

            if (addedSession)
            {
                _session.DangerousRelease();
            }
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _names.Dispose();
    }

    internal static (OrtElementType Type, long[] Shape) ReadTensorShape(OrtApi api, IntPtr shapeInfo)
    {
        int type;
        nuint count;
        api.Check(api.GetTensorElementType(shapeInfo, &type));
        api.Check(api.GetDimensionsCount(shapeInfo, &count));
        var shape = new long[(int)count];
        fixed (long* dims = shape)
        {
            api.Check(api.GetDimensions(shapeInfo, dims, count));
        }

        return ((OrtElementType)type, shape);
    }

    private static int IndexOf(IReadOnlyList<OrtTensorInfo> list, string name, string kind)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException(
            $"The model has no {kind} named '{name}'; its {kind}s are {string.Join(", ", list.Select(i => i.Name))}.", nameof(name));
    }

    private static OrtTensorInfo[] ReadSignature(OrtApi api, IntPtr session, bool input)
    {
        nuint count;
        api.Check(input ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count));
        IntPtr allocator;
        api.Check(api.GetAllocatorWithDefaultOptions(&allocator));
        var result = new OrtTensorInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            IntPtr namePointer;
            api.Check(input ? api.SessionGetInputName(session, i, allocator, &namePointer) : api.SessionGetOutputName(session, i, allocator, &namePointer));
            var name = OrtStrings.TakeAllocated(api, allocator, namePointer);
            IntPtr typeInfo;
            api.Check(input ? api.SessionGetInputTypeInfo(session, i, &typeInfo) : api.SessionGetOutputTypeInfo(session, i, &typeInfo));
            try
            {
                int onnxType;
                api.Check(api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType));
                IntPtr tensorInfo;
                api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
                // ONNX_TYPE_TENSOR = 1; the tensor info is owned by typeInfo.
                if (onnxType != 1 || tensorInfo == IntPtr.Zero)
                {
                    result[i] = new OrtTensorInfo(name, false, OrtElementType.Undefined, []);
                    continue;
                }

                var (type, shape) = ReadTensorShape(api, tensorInfo);
                result[i] = new OrtTensorInfo(name, true, type, shape);
            }
            finally
            {
                api.ReleaseTypeInfo(typeInfo);
            }
        }

        return result;
    }
}

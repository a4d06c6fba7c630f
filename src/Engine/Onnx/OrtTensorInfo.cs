namespace MossGrains.Engine.Onnx;

/// <summary>Element types of ONNX tensors (<c>ONNXTensorElementDataType</c>, same values).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Names mirror ONNX's element type names.")]
public enum OrtElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
}

/// <summary>A model input or output: its name, element type and shape (<c>-1</c> for a dynamic dimension).</summary>
/// <param name="Name">Name in the graph.</param>
/// <param name="IsTensor">False for sequences, maps and other non-tensor values.</param>
/// <param name="ElementType">Element type (tensors only).</param>
/// <param name="Shape">Dimensions, <c>-1</c> where the model leaves the size open.</param>
public sealed record OrtTensorInfo(string Name, bool IsTensor, OrtElementType ElementType, IReadOnlyList<long> Shape)
{
    public override string ToString() =>
        IsTensor ? $"{Name}: {ElementType}[{string.Join(",", Shape)}]" : $"{Name}: (not a tensor)";
}

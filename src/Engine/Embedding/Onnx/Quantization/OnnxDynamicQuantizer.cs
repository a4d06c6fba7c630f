using System.Runtime.InteropServices;

namespace MossGrains.Engine.Embedding.Onnx.Quantization;

/// <summary>
/// Dynamic 8-bit quantization of an ONNX model's MatMul weights, in memory: the graph ONNX Runtime's
/// <c>quantize_dynamic</c> writes (weight_type QUInt8, per_channel). Each MatMul whose second input is a float 2-D
/// initializer W [K, N] becomes
/// <code>
/// x ─ DynamicQuantizeLinear ─ (x_quantized uint8, x_scale, x_zero_point)
/// MatMulInteger(x_quantized, W_quantized uint8, x_zero_point, W_zero_point) ─ Cast(float)
/// Mul(x_scale, W_scale) ─ Mul(cast, ·) ─ the MatMul's output
/// </code>
/// with each output column n of W quantized asymmetrically over [min(W[·,n], 0), max(W[·,n], 0)]: scale = range / 255,
/// zero point = round(−min / scale) (W_scale and W_zero_point are vectors of N).
/// One DynamicQuantizeLinear serves every MatMul reading the same tensor (Q, K and V share theirs); everything else
/// (embeddings, LayerNorm, attention between activations) stays float. Weights are uint8 rather than int8 because
/// ONNX Runtime's x86 kernels without AVX-512 VNNI multiply uint8 activations by int8 weights with saturating 16-bit
/// sums (its quantization guide). Measured on all-MiniLM-L6-v2, cosine to the fp32 vectors of five sample texts: per
/// tensor int8 0.951–0.976, per tensor uint8 0.978–0.989, per column uint8 0.994–0.996. <see cref="QuantizedWeights.Int7"/>
/// (int8 within ±64, which cannot saturate) ran MiniLM queries ~10% faster but scored SciFact below the shipped
/// uint8 weights; the bench keeps it as a candidate (docs/onnx.md). Deterministic: the same model always gives the same bytes.
/// Works on the protobuf wire format directly: fields it does not rewrite are copied byte for byte.
/// </summary>
internal static class OnnxDynamicQuantizer
{
    private const int ModelGraph = 7;
    private const int GraphNode = 1;
    private const int GraphInitializer = 5;
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeName = 3;
    private const int NodeOpType = 4;
    private const int NodeAttribute = 5;
    private const int NodeDomain = 7;
    private const int TensorDims = 1;
    private const int TensorDataType = 2;
    private const int TensorFloatData = 4;
    private const int TensorName = 8;
    private const int TensorRawData = 9;
    private const int TensorExternalData = 13;
    private const int AttributeName = 1;
    private const int AttributeInt = 3;
    private const int AttributeType = 20;
    private const int AttributeTypeInt = 2;
    private const int Float = 1;
    private const int UInt8 = 2;
    private const int Int8 = 3;
    private const int Int7Limit = 64;

    /// <summary>The quantized model and how many MatMuls it rewrote (none: <paramref name="model"/> unchanged).</summary>
    public static (byte[] Model, int QuantizedMatMuls) Quantize(ReadOnlySpan<byte> model, QuantizedWeights weights = QuantizedWeights.UInt8)
    {
        var output = new ProtoWriter();
        int quantized = 0;
        var reader = new ProtoReader(model);
        while (reader.TryRead(out var field))
        {
            if (field.Number == ModelGraph && field.Type == WireType.LengthDelimited)
            {
                var (graph, count) = QuantizeGraph(field.Payload, weights);
                output.WriteBytes(ModelGraph, graph);
                quantized += count;
            }
            else
            {
                output.WriteRaw(field.Raw);
            }
        }

        // Nothing to quantize: the model as it came, byte for byte (the rewrite would only reorder fields).
        return (quantized == 0 ? model.ToArray() : output.WrittenSpan.ToArray(), quantized);
    }

    private static (byte[] Graph, int Count) QuantizeGraph(ReadOnlySpan<byte> graph, QuantizedWeights encoding)
    {
        var nodes = new List<Node>();
        var initializers = new List<Initializer>();
        var others = new ProtoWriter();
        var reader = new ProtoReader(graph);
        while (reader.TryRead(out var field))
        {
            if (field.Number == GraphNode && field.Type == WireType.LengthDelimited)
            {
                nodes.Add(Node.Read(field.Payload));
            }
            else if (field.Number == GraphInitializer && field.Type == WireType.LengthDelimited)
            {
                initializers.Add(Initializer.Read(field.Payload));
            }
            else
            {
                others.WriteRaw(field.Raw);
            }
        }

        var weights = initializers.Where(i => i.IsFloatMatrix).ToDictionary(i => i.Name, StringComparer.Ordinal);
        var rewritten = new ProtoWriter();
        var quantizedActivations = new HashSet<string>(StringComparer.Ordinal);
        var quantizedWeights = new HashSet<string>(StringComparer.Ordinal);
        var stillRead = new HashSet<string>(StringComparer.Ordinal);
        var added = new ProtoWriter();
        int count = 0;
        foreach (var node in nodes)
        {
            if (node.OpType != "MatMul" || node.Domain.Length != 0 || node.Inputs.Count != 2 || node.Outputs.Count != 1
                || !weights.TryGetValue(node.Inputs[1], out var weight))
            {
                rewritten.WriteBytes(GraphNode, node.Raw);
                stillRead.UnionWith(node.Inputs);
                continue;
            }

            string x = node.Inputs[0], w = weight.Name, y = node.Outputs[0], prefix = node.Name.Length > 0 ? node.Name : y;
            if (quantizedActivations.Add(x))
            {
                WriteNode(rewritten, "DynamicQuantizeLinear", x + "_QuantizeLinear", [x], [x + "_quantized", x + "_scale", x + "_zero_point"]);
            }

            if (quantizedWeights.Add(w))
            {
                WriteQuantizedWeight(added, weight, encoding);
            }

            count++;
            WriteNode(rewritten, "MatMulInteger", prefix + "_quant", [x + "_quantized", w + "_quantized", x + "_zero_point", w + "_zero_point"], [y + "_output_quantized"]);
            WriteNode(rewritten, "Cast", prefix + "_quant_output_cast", [y + "_output_quantized"], [y + "_output_quantized_cast_output"], castTo: Float);
            WriteNode(rewritten, "Mul", prefix + "_quant_scales_mul", [x + "_scale", w + "_scale"], [y + "_quant_scales_mul"]);
            WriteNode(rewritten, "Mul", prefix + "_quant_output_scale_mul", [y + "_output_quantized_cast_output", y + "_quant_scales_mul"], [y]);
        }

        var result = new ProtoWriter();
        result.WriteRaw(others.WrittenSpan);
        result.WriteRaw(rewritten.WrittenSpan);
        foreach (var initializer in initializers)
        {
            if (!quantizedWeights.Contains(initializer.Name) || stillRead.Contains(initializer.Name))
            {
                result.WriteBytes(GraphInitializer, initializer.Raw);
            }
        }

        result.WriteRaw(added.WrittenSpan);
        return (result.WrittenSpan.ToArray(), count);
    }

    /// <summary>Per output column n of W [K, N], as <paramref name="encoding"/> says (scale and zero point are vectors of N).</summary>
    private static void WriteQuantizedWeight(ProtoWriter destination, Initializer weight, QuantizedWeights encoding)
    {
        var values = weight.Floats();
        int rows = (int)weight.Dims[0], columns = (int)weight.Dims[1];
        var scales = new float[columns];
        var zeroPoints = new byte[columns];
        for (int n = 0; n < columns; n++)
        {
            float rmin = 0f, rmax = 0f;
            for (int k = 0; k < rows; k++)
            {
                rmin = Math.Min(rmin, values[(k * columns) + n]);
                rmax = Math.Max(rmax, values[(k * columns) + n]);
            }

            if (encoding == QuantizedWeights.Int7)
            {
                float absMax = Math.Max(-rmin, rmax);
                scales[n] = absMax > 0 ? (float)(absMax / (double)Int7Limit) : 1f;
            }
            else
            {
                scales[n] = rmax > rmin ? (float)(((double)rmax - rmin) / 255.0) : 1f;
                zeroPoints[n] = (byte)Math.Clamp(Math.Round(-rmin / (double)scales[n], MidpointRounding.ToEven), 0, 255);
            }
        }

        var quantized = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int n = i % columns;
            float level = MathF.Round(values[i] / scales[n], MidpointRounding.ToEven);
            quantized[i] = encoding == QuantizedWeights.Int7
                ? unchecked((byte)(sbyte)Math.Clamp(level, -Int7Limit, Int7Limit))
                : (byte)Math.Clamp(level + zeroPoints[n], 0f, 255f);
        }

        int dataType = encoding == QuantizedWeights.Int7 ? Int8 : UInt8;
        WriteTensor(destination, weight.Name + "_quantized", dataType, weight.Dims, quantized);
        WriteTensor(destination, weight.Name + "_scale", Float, [columns], MemoryMarshal.AsBytes(scales.AsSpan()));
        WriteTensor(destination, weight.Name + "_zero_point", dataType, [columns], zeroPoints);
    }

    private static void WriteTensor(ProtoWriter destination, string name, int dataType, IReadOnlyList<long> dims, ReadOnlySpan<byte> data)
    {
        var tensor = new ProtoWriter();
        foreach (long dim in dims)
        {
            tensor.WriteVarint(TensorDims, dim);
        }

        tensor.WriteVarint(TensorDataType, dataType);
        tensor.WriteString(TensorName, name);
        tensor.WriteBytes(TensorRawData, data);
        destination.WriteBytes(GraphInitializer, tensor.WrittenSpan);
    }

    private static void WriteNode(ProtoWriter destination, string opType, string name, string[] inputs, string[] outputs, int? castTo = null)
    {
        var node = new ProtoWriter();
        foreach (var input in inputs)
        {
            node.WriteString(NodeInput, input);
        }

        foreach (var output in outputs)
        {
            node.WriteString(NodeOutput, output);
        }

        node.WriteString(NodeName, name);
        node.WriteString(NodeOpType, opType);
        if (castTo is { } to)
        {
            var attribute = new ProtoWriter();
            attribute.WriteString(AttributeName, "to");
            attribute.WriteVarint(AttributeInt, to);
            attribute.WriteVarint(AttributeType, AttributeTypeInt);
            node.WriteBytes(NodeAttribute, attribute.WrittenSpan);
        }

        destination.WriteBytes(GraphNode, node.WrittenSpan);
    }

    private sealed record Node(string OpType, string Name, string Domain, List<string> Inputs, List<string> Outputs, byte[] Raw)
    {
        public static Node Read(ReadOnlySpan<byte> payload)
        {
            string opType = string.Empty, name = string.Empty, domain = string.Empty;
            List<string> inputs = [], outputs = [];
            var reader = new ProtoReader(payload);
            while (reader.TryRead(out var field))
            {
                switch (field.Number)
                {
                    case NodeInput: inputs.Add(field.AsString()); break;
                    case NodeOutput: outputs.Add(field.AsString()); break;
                    case NodeName: name = field.AsString(); break;
                    case NodeOpType: opType = field.AsString(); break;
                    case NodeDomain: domain = field.AsString(); break;
                }
            }

            return new Node(opType, name, domain, inputs, outputs, payload.ToArray());
        }
    }

    private sealed record Initializer(string Name, int DataType, List<long> Dims, byte[] Raw, int RawDataOffset, int RawDataLength, List<float>? FloatData, bool External)
    {
        public bool IsFloatMatrix => DataType == Float && Dims.Count == 2 && !External && (RawDataLength == Dims[0] * Dims[1] * sizeof(float) || FloatData?.Count == Dims[0] * Dims[1]);

        public float[] Floats() => FloatData is { } floats
            ? [.. floats]
            : MemoryMarshal.Cast<byte, float>(Raw.AsSpan(RawDataOffset, RawDataLength)).ToArray();

        public static Initializer Read(ReadOnlySpan<byte> payload)
        {
            string name = string.Empty;
            int dataType = 0, rawOffset = 0, rawLength = -1;
            bool external = false;
            List<long> dims = [];
            List<float>? floats = null;
            var reader = new ProtoReader(payload);
            while (reader.TryRead(out var field))
            {
                switch (field.Number)
                {
                    case TensorDims when field.Type == WireType.Varint: dims.Add((long)field.Varint); break;
                    case TensorDims: dims.AddRange(ProtoReader.PackedVarints(field.Payload)); break;
                    case TensorDataType: dataType = (int)field.Varint; break;
                    case TensorName: name = field.AsString(); break;
                    case TensorRawData:
                        rawLength = field.Payload.Length;
                        rawOffset = OffsetOf(payload, field.Payload);
                        break;
                    case TensorFloatData when field.Type == WireType.LengthDelimited: (floats ??= []).AddRange(MemoryMarshal.Cast<byte, float>(field.Payload).ToArray()); break;
                    case TensorFloatData: (floats ??= []).Add(BitConverter.ToSingle(field.Payload)); break;
                    case TensorExternalData: external = true; break;
                }
            }

            return new Initializer(name, dataType, dims, payload.ToArray(), rawOffset, rawLength, floats, external);
        }

        private static unsafe int OffsetOf(ReadOnlySpan<byte> outer, ReadOnlySpan<byte> inner)
        {
            fixed (byte* o = outer)
            fixed (byte* i = inner)
            {
                return (int)(i - o);
            }
        }
    }
}

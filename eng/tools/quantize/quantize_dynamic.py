#!/usr/bin/python3
"""Dynamic 8-bit quantization of an ONNX transformer's MatMul weights: the reference implementation.

The engine quantizes all-MiniLM-L6-v2 in memory (src/Engine/Embedding/Onnx/Quantization/OnnxDynamicQuantizer.cs);
this script, written independently on Debian's python3-onnx + numpy (ONNX Runtime's own tool is on PyPI, which
cannot be reached here), writes the same graph. The tests check the two agree (tiny-bert-quantize-reference), and
on the packaged all-MiniLM-L6-v2 both give the same initializers and nodes.

Writes the graph ONNX Runtime's `quantize_dynamic` writes for MatMul with per_channel=True: each MatMul
whose second input is a float 2-D initializer W [K, N] becomes

    x ─ DynamicQuantizeLinear ─ (x_q uint8, x_scale, x_zero_point)
    MatMulInteger(x_q, W_quantized, x_zero_point, W_zero_point) ─ Cast(float)
    Mul(x_scale, W_scale) ─ Mul(cast, ·) ─ the MatMul's output

Weights are quantized per output column n (W_scale and W_zero_point are vectors of N; --weights=):
uint8 (default; quantize_dynamic's weight_type=QUInt8): asymmetric over [min(W[:,n], 0), max(W[:,n], 0)],
scale = range / 255, zero point = round(-min / scale); or int8 (QInt8): symmetric, scale = max|W[:,n]| / 127,
zero point 0. uint8 is the default because ONNX Runtime's x86 kernels without AVX-512 VNNI multiply uint8
activations by int8 weights with saturating 16-bit sums (ONNX Runtime's quantization guide). Measured on
all-MiniLM-L6-v2, cosine to the fp32 vectors of five sample texts: per tensor int8 0.951-0.976, per tensor
uint8 0.978-0.989, per column uint8 0.994-0.996. One DynamicQuantizeLinear serves every MatMul reading the
same tensor (Q, K and V share theirs).
Everything else (embeddings, LayerNorm, attention scores between activations) stays float.
ONNX Runtime's own tool is not used because PyPI cannot be reached where MossGrains is built; this needs
only Debian's python3-onnx and python3-numpy, and the same input always gives the same bytes.

    quantize_dynamic.py [--weights=uint8|int8] <fp32 model.onnx> <quantized model.onnx>
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize_weight(w, weight_type):
    """ONNX Runtime's weight quantization, per output column of W [K, N] (quantize_dynamic's per_channel):
    int8 symmetric (zero point 0) or uint8 asymmetric (range widened to hold 0)."""
    if weight_type == "int8":
        absmax = np.abs(w).max(axis=0).astype(np.float64)
        scale = np.where(absmax > 0, absmax / 127.0, 1.0).astype(np.float32)
        return np.clip(np.round(w / scale), -127, 127).astype(np.int8), scale, np.zeros(w.shape[1], np.int8)
    rmin = np.minimum(w.min(axis=0), 0).astype(np.float64)
    rmax = np.maximum(w.max(axis=0), 0).astype(np.float64)
    scale = np.where(rmax > rmin, (rmax - rmin) / 255.0, 1.0).astype(np.float32)
    zero_point = np.clip(np.round(-rmin / scale.astype(np.float64)), 0, 255).astype(np.uint8)
    return np.clip(np.round(w / scale) + zero_point.astype(np.float32), 0, 255).astype(np.uint8), scale, zero_point


def quantize(model, weight_type):
    graph = model.graph
    initializers = {i.name: i for i in graph.initializer}
    nodes = []
    activations = {}  # tensor name -> (quantized, scale, zero point)
    removed = set()
    count = 0
    for node in graph.node:
        weight = initializers.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if weight is None or weight.data_type != TensorProto.FLOAT or len(weight.dims) != 2:
            nodes.append(node)
            continue
        x, w_name, out = node.input[0], node.input[1], node.output[0]
        q, scale, zero_point = quantize_weight(numpy_helper.to_array(weight), weight_type)
        graph.initializer.extend([
            numpy_helper.from_array(q, w_name + "_quantized"),
            numpy_helper.from_array(scale, w_name + "_scale"),
            numpy_helper.from_array(zero_point, w_name + "_zero_point"),
        ])
        removed.add(w_name)
        if x not in activations:
            activations[x] = (x + "_quantized", x + "_scale", x + "_zero_point")
            nodes.append(helper.make_node("DynamicQuantizeLinear", [x], list(activations[x]), name=x + "_QuantizeLinear"))
        xq, xs, xz = activations[x]
        prefix = node.name or out
        nodes.append(helper.make_node("MatMulInteger", [xq, w_name + "_quantized", xz, w_name + "_zero_point"],
                                      [out + "_output_quantized"], name=prefix + "_quant"))
        nodes.append(helper.make_node("Cast", [out + "_output_quantized"], [out + "_output_quantized_cast_output"],
                                      to=TensorProto.FLOAT, name=prefix + "_quant_output_cast"))
        nodes.append(helper.make_node("Mul", [xs, w_name + "_scale"], [out + "_quant_scales_mul"], name=prefix + "_quant_scales_mul"))
        nodes.append(helper.make_node("Mul", [out + "_output_quantized_cast_output", out + "_quant_scales_mul"], [out],
                                      name=prefix + "_quant_output_scale_mul"))
        count += 1
    still_used = {name for n in nodes for name in n.input}
    kept = [i for i in graph.initializer if i.name not in removed or i.name in still_used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    del graph.node[:]
    graph.node.extend(nodes)
    return count


def main():
    args = sys.argv[1:]
    weight_type = "uint8"
    if args[:1] and args[0].startswith("--weights="):
        weight_type = args.pop(0).split("=", 1)[1]
    if len(args) != 2 or weight_type not in ("uint8", "int8"):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    sys.argv[1:] = args
    model = onnx.load(sys.argv[1])
    count = quantize(model, weight_type)
    if count == 0:
        print(f"{sys.argv[1]}: no MatMul with a float weight initializer to quantize", file=sys.stderr)
        return 1
    onnx.checker.check_model(model)
    onnx.save(model, sys.argv[2])
    print(f"quantized {count} MatMul weights -> {sys.argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

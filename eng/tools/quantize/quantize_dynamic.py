#!/usr/bin/python3
"""Dynamic 8-bit quantization of an ONNX transformer's MatMul weights: the reference implementation.

The engine quantizes all-MiniLM-L6-v2 in memory (src/Engine/Embedding/Onnx/Quantization/OnnxDynamicQuantizer.cs);
this script, written independently on Debian's python3-onnx + numpy (ONNX Runtime's own tool is on PyPI, which
cannot be reached here), writes the same graph. The tests check the two agree (tiny-bert-quantize-reference), and
on the packaged all-MiniLM-L6-v2 both give the same initializers and nodes.

Writes the graph ONNX Runtime's `quantize_dynamic` writes for MatMul (per-tensor weights): each MatMul
whose second input is a float 2-D initializer W becomes

    x ─ DynamicQuantizeLinear ─ (x_q uint8, x_scale, x_zero_point)
    MatMulInteger(x_q, W_quantized, x_zero_point, W_zero_point) ─ Cast(float)
    Mul(x_scale, W_scale) ─ Mul(cast, ·) ─ the MatMul's output

Weights (--weights=): uint8 (default; quantize_dynamic's weight_type=QUInt8): asymmetric over
[min(W, 0), max(W, 0)], W_scale = range / 255, W_zero_point = round(-min / W_scale); or int8 (QInt8):
symmetric, W_scale = max|W| / 127, W_zero_point = 0. uint8 is the default because ONNX Runtime's x86
kernels without AVX-512 VNNI multiply uint8 activations by int8 weights with saturating 16-bit sums
(ONNX Runtime's quantization guide): on all-MiniLM-L6-v2 int8 weights gave cosine 0.951-0.976 to fp32 on
sample texts here, uint8 weights 0.978-0.989. One DynamicQuantizeLinear serves every MatMul reading the
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
    """ONNX Runtime's weight quantization: int8 symmetric (zero point 0) or uint8 asymmetric (range widened to hold 0)."""
    if weight_type == "int8":
        absmax = float(np.abs(w).max())
        scale = np.float32(absmax / 127.0 if absmax > 0 else 1.0)
        return np.clip(np.round(w / scale), -127, 127).astype(np.int8), scale, np.int8(0)
    rmin, rmax = min(float(w.min()), 0.0), max(float(w.max()), 0.0)
    scale = np.float32((rmax - rmin) / 255.0 if rmax > rmin else 1.0)
    zero_point = np.uint8(np.clip(np.round(-rmin / scale), 0, 255))
    return np.clip(np.round(w / scale) + zero_point, 0, 255).astype(np.uint8), scale, zero_point


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
            numpy_helper.from_array(np.array(scale, dtype=np.float32), w_name + "_scale"),
            numpy_helper.from_array(np.array(zero_point), w_name + "_zero_point"),
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

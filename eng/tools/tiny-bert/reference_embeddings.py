#!/usr/bin/python3
"""Reference embeddings for the ONNX embedder test, computed without ONNX Runtime.

A small NumPy interpreter evaluates the model's ONNX graph node by node in float64 (the operators the
BERT-architecture test model uses), on token ids Hugging Face's tokenizer produced (the tokenizer
fixture file, made by transformers.js), then mean-pools over the attention mask and L2-normalises as
the folder's modules.json says: exactly what the C# embedder must reproduce through ONNX Runtime.
Independent of ONNX Runtime, so the test compares two implementations, not one with itself.

    reference_embeddings.py <model-dir> <tokenizer-fixtures.json> <out.json>

Every 8th fixture string is embedded, in batches of 1–16 (padded to the batch's longest). Needs Debian's
python3-onnx and python3-numpy.
"""
import json
import math
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

_erf = np.vectorize(math.erf)


def layer_norm(x, scale, bias, axis=-1, epsilon=1e-5):
    mean = x.mean(axis=axis, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axis, keepdims=True)
    return (x - mean) / np.sqrt(var + epsilon) * scale + bias


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def reshape(x, shape):
    shape = [x.shape[i] if d == 0 else d for i, d in enumerate(shape.astype(np.int64).tolist())]
    return x.reshape(shape)


OPS = {
    "Add": lambda a, b: a + b,
    "Sub": lambda a, b: a - b,
    "Mul": lambda a, b: a * b,
    "Div": lambda a, b: a / b,
    "MatMul": lambda a, b: np.matmul(a, b),
    "Erf": lambda a: _erf(a),
    "Identity": lambda a: a,
    "Shape": lambda a: np.array(a.shape, dtype=np.int64),
    "Range": lambda start, limit, delta: np.arange(start, limit, delta),
    "Reshape": reshape,
}


def run(graph, feeds):
    values = {i.name: numpy_helper.to_array(i).astype(np.float64) if numpy_helper.to_array(i).dtype == np.float32
              else numpy_helper.to_array(i) for i in graph.initializer}
    values.update(feeds)
    for node in graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        args = [values[name] for name in node.input if name]
        op = node.op_type
        if op in OPS:
            out = OPS[op](*args)
        elif op == "Gather":
            out = np.take(args[0], args[1].astype(np.int64), axis=attrs.get("axis", 0))
        elif op == "Transpose":
            out = np.transpose(args[0], attrs["perm"])
        elif op == "Softmax":
            out = softmax(args[0], attrs.get("axis", -1))
        elif op == "LayerNormalization":
            out = layer_norm(args[0], args[1], args[2], attrs.get("axis", -1), attrs.get("epsilon", 1e-5))
        elif op == "Unsqueeze":
            out = np.expand_dims(args[0], tuple(attrs["axes"]) if "axes" in attrs else tuple(args[1].tolist()))
        elif op == "Cast":
            out = args[0].astype(np.float64 if attrs["to"] == onnx.TensorProto.FLOAT else onnx.helper.tensor_dtype_to_np_dtype(attrs["to"]))
        else:
            raise NotImplementedError(f"operator {op} (node {node.name}) is not in this reference interpreter")
        values[node.output[0]] = out
    return values


def main():
    if len(sys.argv) != 4:
        print("usage: reference_embeddings.py <model-dir> <tokenizer-fixtures.json> <out.json>", file=sys.stderr)
        return 2
    model_dir, fixtures, out_file = sys.argv[1:]
    read = lambda *p: json.load(open(os.path.join(model_dir, *p), encoding="utf-8"))
    max_seq = read("sentence_bert_config.json")["max_seq_length"]
    normalize = any(m["type"].endswith(".Normalize") for m in read("modules.json"))
    model = onnx.load(os.path.join(model_dir, "onnx", "model.onnx"))
    input_names = [i.name for i in model.graph.input]
    output_name = model.graph.output[0].name

    texts = [c for i, c in enumerate(json.load(open(fixtures, encoding="utf-8"))["cases"]) if i % 8 == 0]
    # Standard BERT truncation: keep [CLS] … and the final [SEP].
    encode = lambda ids: ids if len(ids) <= max_seq else ids[: max_seq - 1] + [ids[-1]]
    cases, batches = [], []
    start, size = 0, 1
    while start < len(texts):
        batch = texts[start:start + size]
        encoded = [encode(c["ids"]) for c in batch]
        seq = max(len(e) for e in encoded)
        ids = np.zeros((len(batch), seq), dtype=np.int64)
        mask = np.zeros((len(batch), seq), dtype=np.int64)
        for r, e in enumerate(encoded):
            ids[r, :len(e)] = e
            mask[r, :len(e)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = run(model.graph, {k: v for k, v in feeds.items() if k in input_names})[output_name]
        indices = []
        for r, e in enumerate(encoded):
            pooled = hidden[r, :len(e)].mean(axis=0)
            if normalize:
                pooled = pooled / max(np.linalg.norm(pooled), 1e-12)
            indices.append(len(cases))
            cases.append({"text": batch[r]["text"], "ids": e, "embedding": [float(np.float32(v)) for v in pooled]})
        batches.append(indices)
        start += size
        size = size % 16 + 1

    os.makedirs(os.path.dirname(os.path.abspath(out_file)), exist_ok=True)
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump({"generator": "eng/tools/tiny-bert/reference_embeddings.py",
                   "reference": f"NumPy {np.__version__} float64 graph interpreter (onnx {onnx.__version__})",
                   "model": os.path.basename(os.path.abspath(model_dir)), "maxSequenceLength": max_seq,
                   "normalized": normalize, "batches": batches, "cases": cases}, f)
    print(f"wrote {out_file}: {len(cases)} embeddings in {len(batches)} batches")
    return 0


if __name__ == "__main__":
    sys.exit(main())

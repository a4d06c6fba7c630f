#!/usr/bin/python3
"""Builds a BERT-architecture ONNX model with random weights, in the sentence-transformers layout.

No transformer weights can be downloaded where MossGrains is built, so the ONNX embedding path is
validated with a model made here: the same graph a BERT export has (word + position + token-type
embeddings, LayerNorm, N encoder layers of multi-head self-attention and a GELU feed-forward block,
output `last_hidden_state`), the MiniLM vocabulary size and the MiniLM tokenizer files. Weights come
from a fixed seed, so every run writes the same model.

    make_model.py --tokenizer-dir ../shared/models/all-MiniLM-L6-v2 --out .native/models/tiny-bert
    make_model.py --preset minilm --tokenizer-dir ... --out .native/models/minilm-shaped
    make_model.py --preset minilm --quantize --tokenizer-dir ... --out .native/models/minilm-shaped-int8

Needs Debian's python3-onnx and python3-numpy (eng/test-setup.d/30-onnx-python.sh).
"""
import argparse
import json
import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

PRESETS = {
    # Small enough to build and run in a unit test, same architecture as MiniLM.
    "tiny": dict(layers=2, hidden=32, heads=4, ffn=64, max_positions=512),
    # Exactly all-MiniLM-L6-v2's shapes: what a real MiniLM costs to run.
    "minilm": dict(layers=6, hidden=384, heads=12, ffn=1536, max_positions=512),
}
TOKENIZER_FILES = ["tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"]


class GraphBuilder:
    def __init__(self, rng, std, quantize=False):
        self.rng = rng
        self.std = std
        self.quantize = quantize
        self.nodes = []
        self.initializers = []
        self.count = 0

    def name(self, prefix):
        self.count += 1
        return f"{prefix}_{self.count}"

    def weight(self, name, shape, mean=0.0):
        data = (mean + self.rng.standard_normal(shape) * self.std).astype(np.float32)
        self.initializers.append(numpy_helper.from_array(data, name))
        return name

    def const(self, name, array):
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def op(self, op_type, inputs, **attrs):
        out = self.name(op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], **attrs))
        return out

    def linear(self, x, prefix, n_in, n_out):
        if self.quantize:
            return self.quantized_linear(x, prefix, n_in, n_out)
        w = self.weight(f"{prefix}.weight", (n_in, n_out))
        b = self.weight(f"{prefix}.bias", (n_out,))
        return self.op("Add", [self.op("MatMul", [x, w]), b])

    def quantized_linear(self, x, prefix, n_in, n_out):
        # The graph onnxruntime's quantize_dynamic writes: int8 weights (symmetric, per tensor),
        # activations quantized to uint8 at run time, integer MatMul, rescale to float.
        w = (self.rng.standard_normal((n_in, n_out)) * self.std).astype(np.float32)
        scale = np.float32(np.abs(w).max() / 127.0)
        self.const(f"{prefix}.weight_quantized", np.clip(np.round(w / scale), -127, 127).astype(np.int8))
        self.const(f"{prefix}.weight_scale", np.array(scale, dtype=np.float32))
        self.const(f"{prefix}.weight_zero_point", np.array(0, dtype=np.int8))
        b = self.weight(f"{prefix}.bias", (n_out,))
        xq, xs, xz = self.name("xq"), self.name("xscale"), self.name("xzero")
        self.nodes.append(helper.make_node("DynamicQuantizeLinear", [x], [xq, xs, xz]))
        product = self.op("MatMulInteger", [xq, f"{prefix}.weight_quantized", xz, f"{prefix}.weight_zero_point"])
        rescale = self.op("Mul", [xs, f"{prefix}.weight_scale"])
        return self.op("Add", [self.op("Mul", [self.op("Cast", [product], to=TensorProto.FLOAT), rescale]), b])

    def layer_norm(self, x, prefix, hidden):
        scale = self.weight(f"{prefix}.weight", (hidden,), mean=1.0)
        bias = self.weight(f"{prefix}.bias", (hidden,))
        return self.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=1e-12)

    def gelu(self, x):
        # Exact GELU, as BERT's "gelu": 0.5 * x * (1 + erf(x / sqrt(2))).
        scaled = self.op("Div", [x, "const_sqrt2"])
        return self.op("Mul", [self.op("Mul", [x, self.op("Add", [self.op("Erf", [scaled]), "const_one"])]), "const_half"])


def build(preset, vocab_size, seed, std, int32_ids=False, quantize=False):
    p = PRESETS[preset]
    hidden, heads, layers, ffn = p["hidden"], p["heads"], p["layers"], p["ffn"]
    head_dim = hidden // heads
    g = GraphBuilder(np.random.default_rng(seed), std, quantize)
    g.const("const_sqrt2", np.array(np.sqrt(2.0), dtype=np.float32))
    g.const("const_one", np.array(1.0, dtype=np.float32))
    g.const("const_half", np.array(0.5, dtype=np.float32))
    g.const("const_neg_large", np.array(-10000.0, dtype=np.float32))
    g.const("const_scale", np.array(1.0 / np.sqrt(head_dim), dtype=np.float32))
    g.const("const_i0", np.array(0, dtype=np.int64))
    g.const("const_i1", np.array(1, dtype=np.int64))
    g.const("axes_12", np.array([1, 2], dtype=np.int64))
    g.const("shape_heads", np.array([0, 0, heads, head_dim], dtype=np.int64))
    g.const("shape_hidden", np.array([0, 0, hidden], dtype=np.int64))

    ids = g.op("Cast", ["input_ids"], to=TensorProto.INT64) if int32_ids else "input_ids"
    words = g.op("Gather", [g.weight("embeddings.word_embeddings.weight", (vocab_size, hidden)), ids], axis=0)
    seq_len = g.op("Gather", [g.op("Shape", [ids]), "const_i1"], axis=0)
    positions = g.op("Range", ["const_i0", seq_len, "const_i1"])
    pos = g.op("Gather", [g.weight("embeddings.position_embeddings.weight", (p["max_positions"], hidden)), positions], axis=0)
    types = g.op("Gather", [g.weight("embeddings.token_type_embeddings.weight", (2, hidden)), "token_type_ids"], axis=0)
    x = g.layer_norm(g.op("Add", [g.op("Add", [words, pos]), types]), "embeddings.LayerNorm", hidden)

    # Additive mask: 0 where attention_mask is 1, -10000 where it is 0; shape [batch, 1, 1, seq].
    mask = g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    mask = g.op("Mul", [g.op("Sub", ["const_one", mask]), "const_neg_large"])
    mask = g.op("Unsqueeze", [mask, "axes_12"])

    for i in range(layers):
        pre = f"encoder.layer.{i}"
        def heads_of(t, perm):
            return g.op("Transpose", [g.op("Reshape", [t, "shape_heads"])], perm=perm)
        q = heads_of(g.linear(x, f"{pre}.attention.self.query", hidden, hidden), [0, 2, 1, 3])
        k = heads_of(g.linear(x, f"{pre}.attention.self.key", hidden, hidden), [0, 2, 3, 1])
        v = heads_of(g.linear(x, f"{pre}.attention.self.value", hidden, hidden), [0, 2, 1, 3])
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), "const_scale"]), mask])
        context = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
        context = g.op("Reshape", [g.op("Transpose", [context], perm=[0, 2, 1, 3]), "shape_hidden"])
        attn = g.linear(context, f"{pre}.attention.output.dense", hidden, hidden)
        x = g.layer_norm(g.op("Add", [attn, x]), f"{pre}.attention.output.LayerNorm", hidden)
        inner = g.gelu(g.linear(x, f"{pre}.intermediate.dense", hidden, ffn))
        out = g.linear(inner, f"{pre}.output.dense", ffn, hidden)
        x = g.layer_norm(g.op("Add", [out, x]), f"{pre}.output.LayerNorm", hidden)

    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"]))
    def ids_input(name, elem=TensorProto.INT64):
        return helper.make_tensor_value_info(name, elem, ["batch_size", "sequence_length"])
    graph = helper.make_graph(
        g.nodes, f"bert-{preset}",
        [ids_input("input_ids", TensorProto.INT32 if int32_ids else TensorProto.INT64),
         ids_input("attention_mask"), ids_input("token_type_ids")],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch_size", "sequence_length", hidden])],
        g.initializers)
    model = helper.make_model(graph, producer_name="mossgrains-make_model", opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    config = dict(architectures=["BertModel"], model_type="bert", hidden_act="gelu", hidden_size=hidden,
                  intermediate_size=ffn, num_attention_heads=heads, num_hidden_layers=layers,
                  max_position_embeddings=p["max_positions"], type_vocab_size=2, vocab_size=vocab_size,
                  layer_norm_eps=1e-12, pad_token_id=0, seed=seed)
    return model, config


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(PRESETS), default="tiny")
    ap.add_argument("--tokenizer-dir", required=True, help="folder with tokenizer.json, vocab.txt, ... (all-MiniLM-L6-v2)")
    ap.add_argument("--out", required=True, help="model folder to write (sentence-transformers layout)")
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--std", type=float, default=0.1, help="standard deviation of the random weights")
    ap.add_argument("--max-seq-length", type=int, default=256)
    ap.add_argument("--quantize", action="store_true",
                    help="int8 weights and dynamically quantized activations in the encoder's dense layers, as an int8 export has")
    ap.add_argument("--int32-input-ids", action="store_true",
                    help="declare input_ids as int32: a signature the engine must refuse (error-path tests)")
    args = ap.parse_args()

    with open(os.path.join(args.tokenizer_dir, "tokenizer.json"), encoding="utf-8") as f:
        vocab_size = len(json.load(f)["model"]["vocab"])
    model, config = build(args.preset, vocab_size, args.seed, args.std, args.int32_input_ids, args.quantize)

    tmp = args.out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.join(tmp, "onnx"))
    os.makedirs(os.path.join(tmp, "1_Pooling"))
    onnx.save(model, os.path.join(tmp, "onnx", "model.onnx"))
    for name in TOKENIZER_FILES:
        src = os.path.join(args.tokenizer_dir, name)
        if os.path.exists(src):
            shutil.copyfile(src, os.path.join(tmp, name))
    def write_json(rel, obj):
        with open(os.path.join(tmp, rel), "w", encoding="utf-8") as f:
            json.dump(obj, f, indent=2)
    write_json("config.json", config)
    write_json("sentence_bert_config.json", {"max_seq_length": args.max_seq_length, "do_lower_case": False})
    write_json("modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    write_json("1_Pooling/config.json", {"word_embedding_dimension": config["hidden_size"], "pooling_mode_cls_token": False,
                                         "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
                                         "pooling_mode_mean_sqrt_len_tokens": False})
    shutil.rmtree(args.out, ignore_errors=True)
    os.replace(tmp, args.out)
    print(f"wrote {args.out} ({args.preset}: {config['num_hidden_layers']} layers, hidden {config['hidden_size']})")


if __name__ == "__main__":
    main()

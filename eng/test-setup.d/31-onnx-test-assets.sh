#!/usr/bin/env bash
# Test assets for the ONNX embedder and WordPiece tokenizer, all generated into $MOSS_NATIVE_DIR
# (never committed; re-made when a generator script or the shared tokenizer files change):
#   models/tiny-bert            BERT-architecture model, random weights, MiniLM tokenizer (tests)
#   models/tiny-bert-int8       same with int8 dense layers (tests)
#   models/tiny-bert-int32-ids  same with an input signature the engine must refuse (tests)
#   models/tiny-bert-int64-out  same with an output signature the engine must refuse (tests)
#   models/tiny-bert-dynamic-hidden  same with the output's hidden size left open (from config.json; tests)
#   models/tiny-bert-quantize-reference  tiny-bert through eng/tools/quantize/quantize_dynamic.py, the Python
#                               reference of the engine's in-memory quantizer (tests)
#   fixtures/tokenizer-minilm.json      transformers.js encodings of ~2,500 strings
#   fixtures/tiny-bert-embeddings.json  reference embeddings of ~300 of them (NumPy graph interpreter, not ONNX Runtime)
# It also compares the committed Unicode tables with this Node's ICU data: a difference is only
# reported (another Node release may carry another Unicode version); the token-for-token test
# against transformers.js is what fails when a difference matters.
set -euo pipefail
root="${MOSS_REPO_ROOT:?run through eng/test.sh}"
native="${MOSS_NATIVE_DIR:?run through eng/test.sh}"
shared="${MOSS_SHARED_DIR:-$root/../shared}"
tokenizer_dir="$shared/models/all-MiniLM-L6-v2"
tools="$root/eng/tools"
python=/usr/bin/python3

node "$tools/unicode/gen-unicode-tables.mjs" --check >/dev/null || echo "test-setup: warning: see above" >&2

stamp="$native/fixtures/.onnx-test-assets"
key="$(cat "$tools/tiny-bert/make_model.py" "$tools/tokenizer-fixtures.mjs" "$tools/tiny-bert/reference_embeddings.py" "$tools/quantize/quantize_dynamic.py" "$tools/lib/native-packages.mjs" \
  "$tokenizer_dir/tokenizer.json" "$tokenizer_dir/vocab.txt" "$tokenizer_dir/tokenizer_config.json" | sha256sum | cut -c1-16)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
  exit 0
fi

echo "test-setup: ONNX test models and tokenizer/embedding fixtures -> $native"
mkdir -p "$native/models" "$native/fixtures"
"$python" "$tools/tiny-bert/make_model.py" --tokenizer-dir "$tokenizer_dir" --out "$native/models/tiny-bert"
"$python" "$tools/tiny-bert/make_model.py" --tokenizer-dir "$tokenizer_dir" --out "$native/models/tiny-bert-int8" --quantize
"$python" "$tools/tiny-bert/make_model.py" --tokenizer-dir "$tokenizer_dir" --out "$native/models/tiny-bert-int32-ids" --int32-input-ids
"$python" "$tools/tiny-bert/make_model.py" --tokenizer-dir "$tokenizer_dir" --out "$native/models/tiny-bert-int64-out" --int64-output
"$python" "$tools/tiny-bert/make_model.py" --tokenizer-dir "$tokenizer_dir" --out "$native/models/tiny-bert-dynamic-hidden" --dynamic-hidden
rm -rf "$native/models/tiny-bert-quantize-reference"
cp -r "$native/models/tiny-bert" "$native/models/tiny-bert-quantize-reference"
"$python" "$tools/quantize/quantize_dynamic.py" "$native/models/tiny-bert/onnx/model.onnx" "$native/models/tiny-bert-quantize-reference/onnx/model.onnx"
node "$tools/tokenizer-fixtures.mjs" "$tokenizer_dir" "$native/fixtures/tokenizer-minilm.json"
"$python" "$tools/tiny-bert/reference_embeddings.py" "$native/models/tiny-bert" "$native/fixtures/tokenizer-minilm.json" \
  "$native/fixtures/tiny-bert-embeddings.json"
echo "$key" > "$stamp"

// Reference embeddings for the ONNX embedder test: onnxruntime-node (ONNX Runtime's own Node
// binding, from the npm package eng/setup.d/30-onnxruntime.sh installs) runs a sentence-transformers
// model folder on token ids from transformers.js, then mean-pools over the attention mask and
// L2-normalises as the folder's modules.json says, exactly what the C# embedder must reproduce.
//
//   node eng/tools/onnx-reference-embeddings.mjs <model-dir> <texts.json> <out.json>
// <texts.json> is the tokenizer fixture file; every 8th string is embedded, in batches of 1–16.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { loadLocalTokenizer, onnxruntimeNode } from './lib/native-packages.mjs';

const [modelDir, textsFile, outFile] = process.argv.slice(2);
if (!modelDir || !textsFile || !outFile) {
  console.error('usage: node onnx-reference-embeddings.mjs <model-dir> <texts.json> <out.json>');
  process.exit(2);
}
const ort = onnxruntimeNode();
const { tokenizer } = await loadLocalTokenizer(modelDir);
const modelPath = path.resolve(modelDir);

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const maxSeq = readJson(path.join(modelPath, 'sentence_bert_config.json')).max_seq_length;
const modules = readJson(path.join(modelPath, 'modules.json'));
const normalize = modules.some((m) => m.type.endsWith('.Normalize'));
const onnxFile = existsSync(path.join(modelPath, 'onnx/model.onnx')) ? path.join(modelPath, 'onnx/model.onnx') : path.join(modelPath, 'model.onnx');
const session = await ort.InferenceSession.create(onnxFile, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });

const texts = readJson(textsFile).cases.map((c) => c.text).filter((_, i) => i % 8 === 0);
const sepId = tokenizer.sep_token_id ?? tokenizer.model.tokens_to_ids.get('[SEP]');
const encode = (text) => {
  const ids = tokenizer(text, { return_tensor: false }).input_ids;
  // Standard BERT truncation: keep [CLS] … and the final [SEP] (transformers.js's own truncation drops [SEP]).
  return ids.length <= maxSeq ? ids : [...ids.slice(0, maxSeq - 1), sepId];
};

const cases = [];
const batches = [];
for (let start = 0, size = 1; start < texts.length; start += size, size = (size % 16) + 1) {
  const batchTexts = texts.slice(start, start + size);
  const encoded = batchTexts.map(encode);
  const seq = Math.max(...encoded.map((e) => e.length));
  const n = encoded.length;
  const ids = new BigInt64Array(n * seq);
  const mask = new BigInt64Array(n * seq);
  encoded.forEach((e, r) => e.forEach((id, j) => { ids[r * seq + j] = BigInt(id); mask[r * seq + j] = 1n; }));
  const feeds = {
    input_ids: new ort.Tensor('int64', ids, [n, seq]),
    attention_mask: new ort.Tensor('int64', mask, [n, seq]),
  };
  if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(n * seq), [n, seq]);
  const output = (await session.run(feeds))[session.outputNames[0]];
  const hidden = output.dims[2];
  const indices = [];
  encoded.forEach((e, r) => {
    const pooled = new Float64Array(hidden);
    for (let j = 0; j < e.length; j++) for (let h = 0; h < hidden; h++) pooled[h] += output.data[(r * seq + j) * hidden + h];
    for (let h = 0; h < hidden; h++) pooled[h] /= e.length;
    if (normalize) {
      const norm = Math.max(Math.sqrt(pooled.reduce((s, v) => s + v * v, 0)), 1e-12);
      for (let h = 0; h < hidden; h++) pooled[h] /= norm;
    }
    indices.push(cases.length);
    cases.push({ text: batchTexts[r], ids: e, embedding: Array.from(pooled, (v) => Math.fround(v)) });
  });
  batches.push(indices);
}
mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
writeFileSync(outFile, JSON.stringify({
  generator: 'eng/tools/onnx-reference-embeddings.mjs',
  reference: `onnxruntime-node ${ort.env.versions?.common ?? ''}`.trim(),
  model: path.basename(modelPath), maxSequenceLength: maxSeq, normalized: normalize, batches, cases,
}));
console.log(`wrote ${outFile}: ${cases.length} embeddings in ${batches.length} batches`);

// npm packages installed by eng/test-setup.d/ under $MOSS_NATIVE_DIR/npm, for the generator scripts.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const nativeDir = () => {
  const native = process.env.MOSS_NATIVE_DIR;
  if (!native) {
    console.error('MOSS_NATIVE_DIR is not set (run through eng/test.sh or eng/setup.sh)');
    process.exit(2);
  }
  return native;
};

/**
 * transformers.js (.native/npm/transformers) with remote loading off, and the tokenizer of the
 * model folder `modelDir` loaded from local files only.
 */
export const loadLocalTokenizer = async (modelDir) => {
  const root = path.join(nativeDir(), 'npm/transformers/node_modules/');
  const { AutoTokenizer, env } = await import(createRequire(root).resolve('@huggingface/transformers'));
  const version = JSON.parse(readFileSync(path.join(root, '@huggingface/transformers/package.json'), 'utf8')).version;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  const full = path.resolve(modelDir);
  env.localModelPath = path.dirname(full) + path.sep;
  const tokenizer = await AutoTokenizer.from_pretrained(path.basename(full), { local_files_only: true });
  return { tokenizer, reference: `@huggingface/transformers ${version}` };
};

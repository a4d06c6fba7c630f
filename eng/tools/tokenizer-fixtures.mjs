// Generates the token-for-token fixtures for the WordPiece tokenizer: ~2,500 varied strings,
// deterministic (fixed seed), tokenized by transformers.js (npm @huggingface/transformers) from
// the local all-MiniLM-L6-v2 tokenizer files with remote loading off. Full encodings, no
// truncation: the C# test derives truncated expectations from them (see docs/onnx.md).
//
//   node eng/tools/tokenizer-fixtures.mjs <model-dir> <out.json>
// Needs MOSS_NATIVE_DIR with npm/transformers installed (eng/test-setup.d/30-transformers-js.sh).
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadLocalTokenizer } from './lib/native-packages.mjs';

const [modelDir, outFile] = process.argv.slice(2);
if (!modelDir || !outFile) {
  console.error('usage: node tokenizer-fixtures.mjs <model-dir> <out.json>');
  process.exit(2);
}
const { tokenizer, reference } = await loadLocalTokenizer(modelDir);

// mulberry32: small, deterministic PRNG.
let seed = 0x5eed2026;
const random = () => {
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const repeat = (n, f) => Array.from({ length: n }, f);

const words = ('the of and to in is was for on that with as by at from his her it an were are which this be or has had ' +
  'not but what all when we there can been one would their who will more if no out so said up about into than them ' +
  'agent voice call customer support refund order shipping account password reset billing invoice latency embedding ' +
  'vector search index session context memory cluster grain silo query document retrieval semantic keyword hybrid ' +
  'transformer tokenizer wordpiece unbelievable internationalization antidisestablishmentarianism photosynthesis ' +
  'mitochondria protein receptor cells patients treatment clinical trial hypothesis evidence').split(' ');
const accented = ['Crème brûlée', 'naïve café', 'Ångström', 'Đà Nẵng', 'São Paulo', 'Zürich', 'façade', 'résumé',
  'jalapeño', 'Ærøskøbing', 'Łódź', 'Čeština', 'Tiếng Việt', 'coöperate', 'El Niño', 'Français', 'Müller', 'Straße',
  'İstanbul', 'ǅemal', 'ﬁnance', 'ﬂower', 'Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３', '𝐁𝐨𝐥𝐝 𝑖𝑡𝑎𝑙𝑖𝑐', 'e\u0301 a\u0308\u0304 o\u0323\u0302',
  'Å (U+212B)', 'Ω ohm', 'K kelvin', '𐐀𐐁 Deseret', 'ΟΔΟΣ', 'Σίσυφος', 'ΣΑΣ ΑΣ Σ', 'AΣ. ΑΣ\'Α', 'ὈΔΥΣΣΕΎΣ', 'ﾊﾝｶｸ ｶﾀｶﾅ'];
const punctuation = ['!!!', '...', '?!?', '---', '(((', ')))', '“quotes”', '«guillemets»', '—', '…', '¿¡', '#hashtag',
  '@mention', '$100', '€50', '£3', '¥1000', '100%', 'a/b\\c', '<html>', '{json: true}', '[brackets]', '~tilde~', '`code`',
  '^caret', '|pipe|', '_under_score_', '*bold*', '+plus+', '=equals=', '&amp;', '§ 5', '¶', '†‡', '•', '·', '‰', '′″',
  '「かぎ」', '『』', '【】', '、。', '，！？', '؟', '।', '։', '᠂', '⁂', '﹏', '＂＃'];
const numbers = () => pick([String(int(0, 9)), String(int(10, 99999)), `${int(1, 9)}.${int(0, 99999)}`,
  `${int(1, 999)},${String(int(0, 999)).padStart(3, '0')},${String(int(0, 999)).padStart(3, '0')}`,
  `${int(1900, 2100)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
  `+1 (${int(200, 999)}) ${int(200, 999)}-${int(1000, 9999)}`, repeat(int(15, 40), () => int(0, 9)).join(''),
  `${int(1, 99)}th`, `v${int(1, 9)}.${int(0, 20)}.${int(0, 99)}`, `0x${int(0, 0xffffff).toString(16)}`, '٣٤٥', '१२३', '½ ¾ ²³']);
const urls = ['https://example.com/path?q=1&x=y#frag', 'http://www.moss.dev/docs/v2/index.html', 'user.name+tag@mail.co.uk',
  'ftp://files.example.org/a_b-c.tar.gz', 'www.example.com', 'C:\\Users\\me\\file.txt', '/usr/local/bin/python3',
  'https://中文.example/路径', 'mailto:someone@example.com', 'git@github.com:owner/repo.git'];
const cjk = ['我爱北京天安门', '自然语言处理', '今日は良い天気ですね', 'カタカナとひらがな', '한국어 텍스트', '안녕하세요 세계',
  '漢字かな交じり文', '中文English混合text', '㐀㐁 extension A', '𠀀𠀁 extension B', '豈更車 compatibility', '〇一二三', '朝鮮語 조선말'];
const emoji = ['😀', '👍🏽', '👨‍👩‍👧', '🇫🇷', '❤️', '🔥🔥🔥', '🙂 ok', 'smile😀smile', '⭐️', '☕', '♻️', '✅', '🤖', '🧪', '1️⃣', '©®™'];
const controls = ['\u0000', '\u0007', '\u001b[31mred\u001b[0m', '\u200b', '\ufeff', '\u00ad', '\u202e', '\ufffd', '\u0085',
  '\u001f', '\u007f', '\u0008', '\u200d', '\u2060', '\u00a0', '\ue000', '\u{f0000}', '\u0601', '\u180e'];
const whitespace = ['\t', '\n\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\u2028', '\u2029', '\u000b', '\u000c', '  ', '\u1680',
  '\u202f', '\u205f', '\u2000', '\u200a', '\u0085', ' \t \n '];
const scripts = ['Привет, мир! ПРОВЕРКА', 'مرحبا بالعالم', 'שָׁלוֹם עוֹלָם', 'नमस्ते दुनिया', 'สวัสดีชาวโลก', 'Γειά σου Κόσμε',
  'Բարեւ աշխարհ', 'გამარჯობა', 'ᚠᚢᚦᚨᚱᚲ', 'ꯃꯤꯇꯩ', 'ትግርኛ', 'தமிழ் எழுத்து', 'ខ្មែរ', 'ລາວ', 'Ελληνικά ΆΈΉ'];
const special = ['[CLS]', '[SEP]', '[MASK]', '[UNK]', '[PAD]', 'hello[MASK]world', '[mask]', '[[CLS]]', '[CLS][SEP]', ' [MASK] ', '[MASK'];

const word = () => {
  const w = pick(words);
  const r = random();
  return r < 0.1 ? w.toUpperCase() : r < 0.25 ? w[0].toUpperCase() + w.slice(1) : w;
};
const sentence = (n) => repeat(n, word).join(' ') + pick(['.', '!', '?', '', '...', ';']);
const randomLetters = (n) => repeat(n, () => pick('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüñø'.split(''))).join('');
const fragment = () => pick([
  () => sentence(int(1, 12)), () => pick(accented), () => pick(punctuation), numbers, () => pick(urls), () => pick(cjk),
  () => pick(emoji), () => pick(controls), () => pick(whitespace), () => pick(scripts), () => pick(special),
  () => randomLetters(int(1, 30)),
])();

const cases = new Set(['', ' ', '   ', '\t\n', 'a', 'A', '.', '[CLS]', 'Hello, world!', "What's the refund policy?",
  'a'.repeat(100), 'a'.repeat(101), 'é'.repeat(100), 'é'.repeat(101), '😀'.repeat(100), '😀'.repeat(101),
  'unaffable', 'UNAFFABLE', 'Hello\u0000World', 'tab\tseparated\tvalues', 'line\nbreaks\r\nand\rreturns']);
const add = (s) => cases.add(s);
for (const list of [accented, punctuation, urls, cjk, emoji, controls, whitespace, scripts, special]) {
  for (const item of list) { add(item); add(`${word()} ${item} ${word()}`); add(`${word()}${item}${word()}`); }
}
for (let i = 0; i < 300; i++) add(sentence(int(3, 30)));
for (let i = 0; i < 150; i++) add(numbers() + ' ' + sentence(int(1, 5)));
for (let i = 0; i < 150; i++) add(randomLetters(int(20, 160)));
for (let i = 0; i < 150; i++) add(pick(punctuation).repeat(int(2, 12)) + word() + pick(punctuation).repeat(int(1, 6)));
for (let i = 0; i < 100; i++) add(pick(whitespace) + sentence(int(1, 6)) + pick(whitespace) + word() + pick(whitespace));
for (let i = 0; i < 60; i++) add(repeat(int(250, 700), word).join(' '));
for (let i = 0; i < 20; i++) add(repeat(int(80, 200), () => pick(cjk)).join(''));
while (cases.size < 2500) add(repeat(int(1, 10), fragment).join(pick([' ', '', ' ', '\n', ', '])));

const out = [];
for (const text of cases) {
  const { input_ids } = tokenizer(text, { add_special_tokens: true, return_tensor: false });
  out.push({ text, ids: input_ids });
}
mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
writeFileSync(outFile, JSON.stringify({
  generator: 'eng/tools/tokenizer-fixtures.mjs',
  reference,
  model: path.basename(path.resolve(modelDir)),
  cases: out,
}));
console.log(`wrote ${outFile}: ${out.length} strings, ${out.reduce((n, c) => n + c.ids.length, 0)} tokens`);

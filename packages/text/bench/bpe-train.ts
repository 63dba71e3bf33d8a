// Measures BPE training and encode/decode speed on the gettext corpus (run: pnpm exec tsx bench/bpe-train.ts DIR).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainTranslationTokenizers } from '../src/tokenizers';

const dir = process.argv[2] ?? '../../data-cache/gettext';
const vocabSize = Number(process.argv[3] ?? 8000);
const pairs: [string, string][] = [];
for (const lang of ['es', 'fr', 'de']) {
  for (const line of readFileSync(join(dir, `en-${lang}`, 'train.tsv'), 'utf8').split('\n')) {
    const [en, tr] = line.split('\t');
    if (en !== undefined && tr !== undefined) pairs.push([en, tr]);
  }
}
let t0 = performance.now();
const { source } = trainTranslationTokenizers(pairs, { vocabSize, joint: true });
const trainS = (performance.now() - t0) / 1000;
t0 = performance.now();
let tokens = 0;
let chars = 0;
let mismatches = 0;
for (const [, tr] of pairs) {
  const ids = source.encode(tr);
  tokens += ids.length;
  chars += tr.length;
  if (source.decode(ids) !== tr) mismatches++;
}
const encS = (performance.now() - t0) / 1000;
const json = JSON.stringify(source.toJSON());
console.log(
  `pairs ${pairs.length}, vocab ${source.vocabSize} (alphabet ${source.alphabet.length}), train ${trainS.toFixed(1)} s, ` +
    `encode+decode of ${pairs.length} targets ${encS.toFixed(1)} s, ${(chars / tokens).toFixed(2)} chars/token, ` +
    `round-trip mismatches ${mismatches}, JSON ${(json.length / 1024).toFixed(0)} KiB`,
);

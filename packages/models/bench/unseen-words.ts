// Where a translator loses on unseen applications: splits an `eval translate --outputs` file into
// the lines holding a word absent from the model's training sources (the `unseen` copy class's
// test, with its stems) and the others, and scores each group (the model, and Apertium where the
// file has it). No decoding: it reads the file.
// Usage: pnpm exec tsx packages/models/bench/unseen-words.ts <model dir> <outputs.jsonl>
import { readFileSync } from 'node:fs';
import { corpusBleu, corpusChrf, isUnseenWord, SOURCE_WORD } from '@seqlab/text';

const [dir, file] = process.argv.slice(2);
if (!dir || !file)
  throw new Error(
    'usage: unseen-words.ts <model dir> <outputs.jsonl> (from eval translate --outputs)',
  );
const words = (
  JSON.parse(readFileSync(`${dir}/tokenizer.json`, 'utf8')) as { sourceWords?: string[] }
).sourceWords;
if (!words)
  throw new Error(`${dir}/tokenizer.json has no sourceWords; add them with \`seqlab train words\``);
const seen = new Set(words);
interface Line {
  source: string;
  reference: string;
  hypothesis: string;
  apertium?: string;
}
const lines = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Line);
const wordsOf = (s: string) => s.match(SOURCE_WORD) ?? [];
let all = 0;
let unseen = 0;
const groups: Record<'with' | 'without', Line[]> = { with: [], without: [] };
for (const l of lines) {
  const ws = wordsOf(l.source);
  const u = ws.filter((w) => isUnseenWord(w, seen)).length;
  all += ws.length;
  unseen += u;
  groups[u > 0 ? 'with' : 'without'].push(l);
}
const r2 = (x: number) => Math.round(x * 100) / 100;
const score = (g: Line[], pick: (l: Line) => string) => {
  const refs = [g.map((l) => l.reference)];
  const h = g.map(pick);
  return { bleu: r2(corpusBleu(h, refs).score), chrf: r2(corpusChrf(h, refs)) };
};
const out: Record<string, unknown> = {
  lines: lines.length,
  words: all,
  unseen_word_rate: r2((100 * unseen) / Math.max(1, all)),
};
for (const [k, g] of Object.entries(groups)) {
  out[`${k}_unseen`] = {
    lines: g.length,
    model: g.length ? score(g, (l) => l.hypothesis) : null,
    ...(g.length && g.every((l) => l.apertium !== undefined)
      ? { apertium: score(g, (l) => l.apertium as string) }
      : {}),
  };
}
console.log(JSON.stringify(out));

// Which kinds of name should a translator copy rather than translate? Scores each copy class
// (and all of them) against none on a test file — meant for the app-held-out dev sets — decoding
// only the lines a class changes and reusing the baseline for the rest.
// Usage: pnpm exec tsx packages/models/bench/copy-classes.ts <model dir> <test.tsv> [beam] [limit]
import { readFileSync } from 'node:fs';
import { initBackend } from '@seqlab/rnn';
import { COPY_CLASSES, type CopyClass, copySpans, corpusBleu, corpusChrf } from '@seqlab/text';
import { load } from '../src/node';

const [dir, test, beamArg, limitArg] = process.argv.slice(2);
if (!dir || !test) throw new Error('usage: copy-classes.ts <model dir> <test.tsv> [beam] [limit]');
const beam = Number(beamArg ?? 1);
const pairs = readFileSync(test, 'utf8')
  .split('\n')
  .filter((l) => l.includes('\t'))
  .slice(0, Number(limitArg ?? Number.POSITIVE_INFINITY))
  .map((l) => {
    const [source = '', target = ''] = l.split('\t');
    return { source, target };
  });
await initBackend();
const t = await load(dir);
// The model's own word list, for the `unseen` class (absent from folders trained before it).
const words = (
  JSON.parse(readFileSync(`${dir}/tokenizer.json`, 'utf8')) as { sourceWords?: string[] }
).sourceWords;
const seen = words ? new Set(words) : undefined;
const classes = COPY_CLASSES.filter((c) => c !== 'unseen' || seen);
if (t.task !== 'translate') throw new Error(`${dir}: expected a translate model, got ${t.task}`);
const refs = [pairs.map((p) => p.target)];
const run = async (copy: readonly CopyClass[], only?: Set<number>, base?: string[]) => {
  const out: string[] = [];
  for (const [i, p] of pairs.entries()) {
    if (only && base && !only.has(i)) out.push(base[i] as string);
    else out.push((await t.translate(p.source, { beam, copy })).text);
  }
  return out;
};
const r2 = (x: number) => Math.round(x * 100) / 100;
const score = (h: string[]) => ({
  bleu: r2(corpusBleu(h, refs).score),
  chrf: r2(corpusChrf(h, refs)),
});
const base = await run([]);
const rows: Record<string, unknown>[] = [{ copy: 'none', lines: 0, ...score(base) }];
for (const c of [...classes.map((x) => [x]), [...classes]] as CopyClass[][]) {
  const touched = new Set(
    pairs.flatMap((p, i) => (copySpans(p.source, c, seen ? { seen } : {}).length > 0 ? [i] : [])),
  );
  const h = await run(c, touched, base);
  const sub = [...touched];
  const subRefs = [sub.map((i) => pairs[i]?.target ?? '')];
  const subScore =
    sub.length > 0
      ? {
          lines_bleu_none: r2(
            corpusBleu(
              sub.map((i) => base[i] as string),
              subRefs,
            ).score,
          ),
          lines_bleu_copy: r2(
            corpusBleu(
              sub.map((i) => h[i] as string),
              subRefs,
            ).score,
          ),
        }
      : {};
  rows.push({ copy: c.join(','), lines: touched.size, ...score(h), ...subScore });
  process.stderr.write(`${JSON.stringify(rows.at(-1))}\n`);
}
t.dispose();
console.log(JSON.stringify({ model: dir, test, beam, n: pairs.length, rows }));

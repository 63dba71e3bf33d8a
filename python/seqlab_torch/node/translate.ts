// seqlab's Node pipeline on a folder exported from PyTorch: load() + translate each source, and the pieces of PyTorch's token ids, for the same-tokens test.
// Usage: tsx node/translate.ts job.json → JSON on stdout. job: { dir, sources: string[], torchIds: number[][] }.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { load } from '@seqlab/models/node';
import { BpeTokenizer } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';

interface Job {
  dir: string;
  sources: string[];
  torchIds: number[][];
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file)
    throw new Error(
      'usage: tsx node/translate.ts <job.json> (expected { dir, sources, torchIds })',
    );
  await tf.setBackend('cpu');
  const job = JSON.parse(readFileSync(file, 'utf8')) as Job;
  const model = await load(job.dir);
  if (model.task !== 'translate')
    throw new Error(`${job.dir}: expected a translate model, got ${model.task}`);
  const tokJson = JSON.parse(readFileSync(path.join(job.dir, 'tokenizer.json'), 'utf8')) as {
    source: unknown;
  };
  const tok = BpeTokenizer.fromJSON(tokJson.source);
  const out: { text: string; tokens: string[]; torchTokens: string[] }[] = [];
  for (const [i, s] of job.sources.entries()) {
    // Placeholders only, as PyTorch's ids were decoded: no names or unseen words copied.
    const r = await model.translate(s, { copy: [] });
    out.push({
      text: r.text,
      tokens: r.targetTokens,
      torchTokens: (job.torchIds[i] ?? []).map((id) => tok.piece(id)),
    });
  }
  model.dispose();
  process.stdout.write(JSON.stringify(out));
}

main().catch((e: unknown) => {
  process.stderr.write(`translate: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

// seqlab's numbers for the parity tests: teacher-forced logits and loss of saved models, through @seqlab/seq2seq's public API.
// Usage: tsx node/parity.ts cases.json  → JSON on stdout. Each case: { dir, src: ids[][], tgt: ids[][] }.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { loadSeq2Seq, padIds, teacherForcingPair } from '@seqlab/seq2seq';
import * as tf from '@tensorflow/tfjs-core';

interface Case {
  dir: string;
  src: number[][];
  tgt: number[][];
}

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** A folder's artifacts in memory (reading the files here keeps this script on the package's root entry). */
function artifacts(dir: string): tf.io.ModelArtifacts {
  const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as ModelJson;
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const parts = json.weightsManifest.flatMap((g) =>
    g.paths.map((p) => readFileSync(path.join(dir, p))),
  );
  const all = Buffer.concat(parts);
  return {
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer,
  };
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file)
    throw new Error(
      'usage: tsx node/parity.ts <cases.json> (expected a JSON array of { dir, src, tgt })',
    );
  await tf.setBackend('cpu');
  const cases = JSON.parse(readFileSync(file, 'utf8')) as Case[];
  const out: { shape: number[]; logits: number[]; loss: number; lossSmoothed: number }[] = [];
  for (const c of cases) {
    const { model } = await loadSeq2Seq(tf.io.fromMemory(artifacts(c.dir)), `${c.dir}/model.json`);
    const src = padIds(c.src);
    const { input } = teacherForcingPair(c.tgt);
    const { logits } = model.forward(src, input);
    const batch = { src: c.src, tgt: c.tgt };
    // training: true applies label smoothing (the configs here have dropout 0, so no masks).
    const smoothed = model.loss(batch, { training: true, seed: 1 });
    const plain = model.loss(batch, { training: false, seed: 1 });
    out.push({
      shape: logits.shape,
      logits: Array.from(await logits.data()),
      loss: (await plain.data())[0] as number,
      lossSmoothed: (await smoothed.data())[0] as number,
    });
    tf.dispose([src, input, logits, smoothed, plain]);
    model.dispose();
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e: unknown) => {
  process.stderr.write(`parity: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

// The sweep's plan: configs merged field by field, every variant validated and priced before any
// trains, the price being the real model's parameter count.
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@seqlab/rnn';
import { Seq2Seq } from '@seqlab/seq2seq';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/config-file';
import { mergeConfig, planSweep, readSweepGrid } from '../src/sweep-plan';

let tmp = '';
let base = '';
beforeAll(async () => {
  await initBackend('cpu');
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-sweep-plan-'));
  base = join(tmp, 'base.json');
  await writeFile(
    base,
    JSON.stringify({
      name: 't',
      target: 'es',
      corpus: 'data-cache/none',
      runDir: 'runs/x',
      out: 'models/x',
      vocabSize: 40,
      maxTokens: 16,
      model: { embDim: 4, hidden: 6, encoderHidden: 3, attentionDim: 4, maxLen: 8 },
      batchSize: 2,
      epochs: 1,
      validSize: 2,
      lr: 0.01,
      clipNorm: 5,
      validateEvery: 2,
      checkpointEvery: 2,
      patience: 2,
      seed: 3,
      quantization: 'float16',
      init: 'models/translate-en-es',
    }),
  );
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('mergeConfig', () => {
  it('merges objects key by key, replaces lists and scalars, removes keys set to null', () => {
    const b = {
      lr: 1,
      lrDrops: [{ step: 1, lr: 0.5 }],
      model: { hidden: 8, embDim: 4 },
      init: 'm',
    };
    const set = { model: { hidden: 16 }, lrDrops: [], init: null };
    expect(mergeConfig(b, set)).toEqual({ lr: 1, lrDrops: [], model: { hidden: 16, embDim: 4 } });
    expect(b.model.hidden).toBe(8); // the base is not changed
  });
});

describe('planSweep', () => {
  it('prices each variant at the parameters of the model it builds, at the quantization', async () => {
    const grid = join(tmp, 'grid.json');
    await writeFile(
      grid,
      JSON.stringify({
        variants: [
          { name: 'same', set: {} },
          { name: 'wide', set: { init: null, model: { hidden: 10 }, vocabSize: 60 } },
        ],
      }),
    );
    const before = tf.memory().numTensors;
    const plan = planSweep(base, readSweepGrid(grid), join(tmp, 'sweep'));
    expect(tf.memory().numTensors).toBe(before); // the counted models are disposed
    const wide = plan[1];
    const real = new Seq2Seq({
      embDim: 4,
      hidden: 10,
      encoderHidden: 3,
      attentionDim: 4,
      maxLen: 8,
      srcVocab: 60,
      tgtVocab: 60,
    });
    expect(wide?.params).toBe(real.params.size());
    real.dispose();
    expect(wide?.weightBytes).toBe((wide?.params ?? 0) * 2); // float16
    expect(wide?.config.init).toBeUndefined();
    expect(wide?.config.runDir).toBe(join(tmp, 'sweep', 'wide', 'run'));
    expect(plan[0]?.config.init).toBe('models/translate-en-es');
  });

  it('refuses model changes on top of init, and names the variant of an invalid field', async () => {
    const grid = join(tmp, 'bad.json');
    await writeFile(
      grid,
      JSON.stringify({ variants: [{ name: 'h', set: { model: { hidden: 10 } } }] }),
    );
    expect(() => planSweep(base, readSweepGrid(grid), tmp)).toThrow(
      /variant 'h': sets model fields but starts from init .* set "init": null/,
    );
    await writeFile(grid, JSON.stringify({ variants: [{ name: 'lr', set: { lr: -1 } }] }));
    expect(() => planSweep(base, readSweepGrid(grid), tmp)).toThrow(
      /\+ variant 'lr': invalid:\n {2}- lr: expected a number > 0/,
    );
    await writeFile(grid, '{"variants": []}');
    expect(() => readSweepGrid(grid)).toThrow(/variants: expected a list of at least one variant/);
  });
});

describe('the sweep grids in configs/sweeps/', () => {
  it('each plans against configs/translate-en-es.json, with sizes priced', () => {
    const dir = join(REPO_ROOT, 'configs', 'sweeps');
    const grids = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(grids.length).toBeGreaterThan(0);
    for (const g of grids) {
      const plan = planSweep(
        join(REPO_ROOT, 'configs', 'translate-en-es.json'),
        readSweepGrid(join(dir, g)),
        join(tmp, 'grids', g),
      );
      for (const v of plan) expect(v.weightBytes, `${g} ${v.name}`).toBeGreaterThan(1e6);
    }
  });
});

// runTraining's keepBest switch: the best-validated weights by default, the last step's with keepBest: false.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@seqlab/rnn';
import { Seq2Seq } from '@seqlab/seq2seq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArrayBatchSource } from '../src/index';
import { type LoopConfig, runTraining, scheduledLr } from '../src/run';
import { RUN_LOOP_MODEL } from './fixtures';

let tmp = '';
beforeAll(async () => {
  await initBackend('cpu');
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-run-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const loop: LoopConfig = {
  lr: 0.05,
  clipNorm: 5,
  epochs: 10,
  validateEvery: 2,
  checkpointEvery: 2,
  patience: 10,
  seed: 1,
};

async function train(
  keepBest: boolean | undefined,
  name: string,
  lr?: number,
  extra: Partial<LoopConfig> = {},
) {
  const model = new Seq2Seq(RUN_LOOP_MODEL);
  const batches = [
    { src: [[5, 6, 2]], tgt: [[6, 5, 2]] },
    { src: [[7, 8, 2]], tgt: [[8, 7, 2]] },
  ];
  const metrics = [0.9, 0.5, 0.4]; // best at the first validation (step 2)
  const snapshots: Record<string, Float32Array>[] = [];
  let i = 0;
  const result = await runTraining({
    model,
    data: new ArrayBatchSource(batches, { seed: 1 }),
    cfg: { ...loop, ...extra, ...(keepBest === undefined ? {} : { keepBest }) },
    runDir: join(tmp, name),
    totalSteps: 6,
    run: lr === undefined ? {} : { lr },
    validate: async () => {
      snapshots.push(model.params.read());
      const metric = metrics[i++] as number;
      return { metric, line: `metric ${metric}` };
    },
  });
  const final = model.params.read();
  const lrAfter = result.trainer.optimizer.lr;
  result.trainer.dispose();
  model.dispose();
  return { result, final, snapshots, lrAfter };
}

describe('runTraining', () => {
  it('ends with the best-validated weights by default and with the last ones when keepBest is false', async () => {
    const best = await train(undefined, 'best');
    expect(best.result.summary.bestStep).toBe(2);
    for (const [n, v] of Object.entries(best.final)) expect(v, n).toEqual(best.snapshots[0]?.[n]);
    const last = await train(false, 'last');
    expect(last.result.summary.bestStep).toBeNull();
    expect(last.result.summary.steps).toBe(6);
    for (const [n, v] of Object.entries(last.final)) expect(v, n).toEqual(last.snapshots[2]?.[n]);
    expect(last.result.history.map((h) => h.step)).toEqual([2, 4, 6]);
  });

  it('run.lr overrides the configured learning rate', async () => {
    const fast = await train(false, 'lr-config');
    expect(fast.lrAfter).toBe(0.05);
    const slow = await train(false, 'lr-override', 1e-4);
    expect(slow.lrAfter).toBe(1e-4);
    // A smaller step moves the weights less from their start.
    // Between the first validation (step 2) and the end (step 6), a smaller step moves the weights less.
    const moved = (r: {
      final: Record<string, Float32Array>;
      snapshots: Record<string, Float32Array>[];
    }) => {
      let d = 0;
      for (const [n, v] of Object.entries(r.final))
        for (const [k, x] of v.entries()) d += Math.abs(x - (r.snapshots[0]?.[n]?.[k] as number));
      return d;
    };
    expect(moved(slow)).toBeGreaterThan(0);
    expect(moved(slow)).toBeLessThan(moved(fast));
  });

  it('lrDrops switch the learning rate after the given steps; --lr wins over them', async () => {
    const drops = [
      { step: 4, lr: 0.002 },
      { step: 2, lr: 0.01 },
    ];
    expect([0, 1, 2, 3, 4, 9].map((k) => scheduledLr({ lr: 0.05, lrDrops: drops }, k))).toEqual([
      0.05, 0.05, 0.01, 0.01, 0.002, 0.002,
    ]);
    expect((await train(false, 'drops', undefined, { lrDrops: drops })).lrAfter).toBe(0.002);
    expect((await train(false, 'drops-lr', 0.003, { lrDrops: drops })).lrAfter).toBe(0.003);
  });
});

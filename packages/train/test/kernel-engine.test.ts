// The Trainer's engine opt-in with @seqlab/kernels' KernelTrainStep: the model holds the
// engine's weights after a run, and a checkpoint resumes bit for bit (weights, Adam, dropout).
import { KernelTrainStep } from '@seqlab/kernels';
import { nodeSpawn } from '@seqlab/kernels/node';
import { Seq2Seq, type Seq2SeqBatch, type Seq2SeqConfig } from '@seqlab/seq2seq';
import { beforeAll, describe, expect, test } from 'vitest';
import { reverseBatches, useCpu } from '../../seq2seq/test/helpers';
import { ArrayBatchSource, MemoryCheckpointStore, Trainer } from '../src/index';

beforeAll(useCpu);

const CFG: Partial<Seq2SeqConfig> = {
  srcVocab: 16,
  tgtVocab: 16,
  embDim: 8,
  hidden: 12,
  encoderHidden: 8,
  bidirectional: true,
  attention: 'dot',
  inputFeeding: false,
  dropout: 0.1,
  labelSmoothing: 0.1,
};

const engineFor = (model: Seq2Seq, threads: number) =>
  KernelTrainStep.create(model.config, model.params.read(), {
    threads,
    spawn: nodeSpawn,
    lr: 0.01,
    clipNorm: 5,
  });

describe('Trainer with a KernelTrainStep engine', () => {
  test('trains, leaves its weights in the model, and resumes from a checkpoint bit for bit', async () => {
    const batches: Seq2SeqBatch[] = reverseBatches(4, 3, 12, 5, 2);
    const store = new MemoryCheckpointStore();
    const model = new Seq2Seq(CFG);
    const engine = await engineFor(model, 2);
    const trainer = new Trainer({
      model,
      data: new ArrayBatchSource(batches),
      maxSteps: 2,
      engine,
      checkpoint: { store },
    });
    const first = await trainer.run();
    expect(Number.isFinite(first.lastLoss)).toBe(true);
    const bytes = await store.load(); // the checkpoint at step 2
    const w = engine.weights();
    for (const [name, data] of Object.entries(model.params.read()))
      expect(Array.from(data), name).toEqual(Array.from(w[name] as Float32Array));
    await trainer.run({ maxSteps: 4 });
    const straight = model.params.read();

    // A fresh process: new model, new engine (1 thread: results do not depend on the count).
    const model2 = new Seq2Seq(CFG);
    const engine2 = await engineFor(model2, 1);
    const resumed = new Trainer({
      model: model2,
      data: new ArrayBatchSource(batches),
      maxSteps: 4,
      engine: engine2,
    });
    expect(bytes).not.toBeNull();
    const two = new MemoryCheckpointStore();
    await two.save(bytes as Uint8Array);
    expect(await resumed.resume(two)).toBe(true);
    expect(resumed.step).toBe(2);
    await resumed.run();
    for (const [name, data] of Object.entries(model2.params.read()))
      expect(Array.from(data), name).toEqual(Array.from(straight[name] as Float32Array));
    for (const x of [trainer, resumed, engine, engine2, model, model2]) x.dispose();
  });
});

// Host decoding (whole decoder steps in WebAssembly SIMD): the same greedy results as the tensor
// path for every decoder variant, with constraints, the int8 head, interleaved calls, no leaks.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { HostDecoder } from '../src/fast/host-decoder';
import {
  FastDecoder,
  type GreedyResult,
  generate,
  padIds,
  Seq2Seq,
  type Seq2SeqConfig,
} from '../src/index';
import {
  beamSearch,
  boostEos,
  fastDecoder,
  greedy,
  RAGGED_SRC as SRC,
  TINY,
  useCpu,
} from './helpers';

beforeAll(useCpu);

function expectSame(host: GreedyResult[], tensor: GreedyResult[]): void {
  expect(host.length).toBe(tensor.length);
  for (const [i, h] of host.entries()) {
    const t = tensor[i] as GreedyResult;
    expect(h.tokens).toEqual(t.tokens);
    expect(h.finished).toBe(t.finished);
    expect(h.logProb).toBeCloseTo(t.logProb, 4);
    expect(h.attention.length).toBe(t.attention.length);
    for (const [s, row] of h.attention.entries())
      for (const [j, v] of row.entries()) expect(v).toBeCloseTo(t.attention[s]?.[j] as number, 5);
  }
}

describe('host decoding', () => {
  const variants: [string, Partial<Seq2SeqConfig>][] = [
    ['additive attention, input feeding', { attention: 'additive' }],
    ['dot attention, input feeding', { attention: 'dot' }],
    ['additive attention, no input feeding', { attention: 'additive', inputFeeding: false }],
    ['no attention', { attention: 'none' }],
    ['two decoder layers, tied embeddings', { decoderLayers: 2, tieEmbeddings: true }],
    ['hidden 20, embedding 9 (padded lanes)', { hidden: 20, embDim: 9, attentionDim: 5 }],
  ];
  for (const [name, cfg] of variants) {
    test(`${name}: the same tokens, log-probs and attention as the tensor path`, async () => {
      const model = new Seq2Seq({
        ...TINY,
        srcVocab: 16,
        tgtVocab: 40,
        maxLen: 9,
        ...cfg,
        seed: 31,
      });
      const tensor = await greedy(model, SRC, { hostSelect: true });
      const fast = FastDecoder.from({ decoder: model.decoder }, { int8Head: false });
      expect(fast.decoder).not.toBeNull();
      expect(fast.encoder).toBeNull();
      const host = await greedy(model, SRC, { hostSelect: true, fast });
      expectSame(host, tensor);
      expect(host.some((r) => r.tokens.length > 1)).toBe(true);
      fast.dispose();
      model.dispose();
    });
  }

  test("beam search on the host: the tensor path's n-best lists for every variant, constraints, a tiny vocabulary", async () => {
    const allowedTokens = (step: number, prefix: readonly number[]) =>
      step === 1 ? [4, 7, 9, 2] : prefix.length === 3 ? [2, 5] : null;
    for (const [, cfg] of variants)
      for (const extra of [{}, { allowedTokens }, { tgtVocab: 5 }]) {
        const { allowedTokens: at, ...over } = extra as { allowedTokens?: typeof allowedTokens };
        const model = new Seq2Seq({
          ...TINY,
          srcVocab: 16,
          tgtVocab: 40,
          maxLen: 7,
          ...cfg,
          ...over,
          seed: 23,
        });
        boostEos(model, 0.3);
        const opts = {
          beamWidth: 4,
          nBest: 4,
          lengthPenalty: 0.6,
          ...(at ? { allowedTokens: at } : {}),
        };
        const tensor = await beamSearch(model, SRC, opts);
        const fast = FastDecoder.from({ decoder: model.decoder }, { int8Head: false });
        expect(fast.decoder).not.toBeNull();
        const host = await beamSearch(model, SRC, { ...opts, fast });
        for (const [r, list] of tensor.entries()) {
          expect(host[r]?.length).toBe(list.length);
          for (const [j, h] of list.entries()) {
            const o = host[r]?.[j];
            expect(o?.tokens).toEqual(h.tokens);
            expect(o?.finished).toBe(h.finished);
            expect(o?.logProb).toBeCloseTo(h.logProb, 4);
            expect(o?.attention.length).toBe(h.attention.length);
          }
        }
        fast.dispose();
        model.dispose();
      }
  });

  test('with constraints and with the int8 head', async () => {
    const model = new Seq2Seq({
      ...TINY,
      srcVocab: 16,
      tgtVocab: 200,
      hidden: 24,
      maxLen: 8,
      seed: 7,
    });
    boostEos(model, 0.5);
    const allowedTokens = (step: number, prefix: readonly number[]) =>
      step === 0 ? [4, 9, 11] : prefix.length === 2 ? [2, 30] : null;
    const tensor = [
      await greedy(model, SRC, { hostSelect: true }),
      await greedy(model, SRC, { hostSelect: true, allowedTokens }),
    ];
    const fast = fastDecoder(model, { hostDecoder: true, int8Head: true });
    expect(fast.decoder).not.toBeNull();
    expect(fast.head?.vocab).toBe(200);
    expectSame(await greedy(model, SRC, { hostSelect: true, fast }), tensor[0] as GreedyResult[]);
    expectSame(
      await greedy(model, SRC, { hostSelect: true, allowedTokens, fast }),
      tensor[1] as GreedyResult[],
    );
    fast.dispose();
    model.dispose();
  });

  test('interleaved calls share nothing; no tensor leaks; errors end the decoding cleanly', async () => {
    const model = new Seq2Seq({ ...TINY, srcVocab: 16, maxLen: 8, seed: 5 });
    const tensor = await greedy(model, SRC, { hostSelect: true });
    const fast = FastDecoder.from({ decoder: model.decoder }, { int8Head: false });
    expect(fast.decoder).not.toBeNull();
    await greedy(model, SRC, { fast });
    const before = tf.memory().numTensors;
    // The second call finds the host decoder busy and takes the tensor path.
    const [a, b] = await Promise.all([greedy(model, SRC, { fast }), greedy(model, SRC, { fast })]);
    expectSame(a, tensor);
    expectSame(b, tensor);
    await expect(greedy(model, SRC, { allowedTokens: () => [], fast })).rejects.toThrow(
      /empty list/,
    );
    expect(fast.decoder?.idle).toBe(true);
    await beamSearch(model, SRC.slice(0, 1), { beamWidth: 3, fast });
    expect(tf.memory().numTensors).toBe(before);
    fast.dispose();
    expect(fast.decoder?.idle).toBe(false);
    model.dispose();
  });

  test('a stepper refuses bad tokens and steps after end; a disposed decoder refuses to start', () => {
    const host = HostDecoder.create({
      vocab: 6,
      embDim: 2,
      hidden: 3,
      memoryDim: 2,
      attention: 'none',
      attentionDim: 1,
      feeds: false,
      keys: null,
      bridgeDim: 2,
      bridge: [],
      embedding: new Float32Array(12),
      cells: [
        {
          kernel: new Float32Array(2 * 12),
          recurrent: new Float32Array(3 * 12),
          bias: new Float32Array(12),
        },
      ],
      wq: null,
      v: null,
      combine: null,
      out: () => ({ w: new Float32Array(18), b: new Float32Array(6).fill(1) }),
    }) as HostDecoder;
    const start = {
      rows: 1,
      T: 1,
      memory: new Float32Array(2),
      keys: null,
      maskBias: new Float32Array(1),
      layers: [{ h: new Float32Array(3), c: new Float32Array(3) }],
      feed: new Float32Array(3),
    };
    const s = host.start(start, null);
    expect(() => host.start(start, null)).toThrow(/one decoding at a time/);
    expect(Array.from(s.step(Int32Array.of(1)).logits)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(() => s.step(Int32Array.of(6))).toThrow(/token 6 outside \[0, 6\)/);
    s.end();
    expect(() => s.step(Int32Array.of(1))).toThrow(/after end/);
    host.dispose();
    expect(host.idle).toBe(false);
    expect(() => host.start(start, null)).toThrow(/after dispose/);
  });
});

describe('host encoding', () => {
  const variants: [string, Partial<Seq2SeqConfig>][] = [
    ['bidirectional, one layer', {}],
    ['unidirectional, two layers', { bidirectional: false, encoderLayers: 2 }],
    ['bidirectional, two layers, hidden 20', { encoderLayers: 2, encoderHidden: 20 }],
  ];
  for (const [name, cfg] of variants) {
    test(`${name}: memory, mask and summary match the tensor encoder (ragged and empty rows)`, () => {
      const model = new Seq2Seq({ ...TINY, srcVocab: 16, ...cfg, seed: 12 });
      const rows = [[5, 6, 7, 8, 9, 2], [8, 2], [], [10, 11, 12, 2]];
      const src = padIds(rows);
      const want = model.encoder.encode(src);
      const fast = FastDecoder.from(model);
      expect(fast.encoder).not.toBeNull();
      const got = fast.encoder?.encode(rows);
      const close = (a: Float32Array | undefined, b: tf.Tensor) => {
        const ref = b.dataSync();
        expect(a?.length).toBe(ref.length);
        for (let i = 0; i < ref.length; i++)
          expect(a?.[i] as number).toBeCloseTo(ref[i] as number, 5);
      };
      close(got?.memory, want.memory);
      close(got?.mask, want.mask);
      close(got?.summary, want.summary);
      tf.dispose([src, want.memory, want.mask, want.summary]);
      expect(() => fast.encoder?.encode([[5, 99]])).toThrow(/id 99 outside \[0, 16\)/);
      fast.dispose();
      model.dispose();
    });
  }

  test('FastDecoder.from(model): greedy and beam results as the tensor path, no leaks', async () => {
    const model = new Seq2Seq({ ...TINY, srcVocab: 16, tgtVocab: 30, maxLen: 8, seed: 9 });
    const tensor = await greedy(model, SRC);
    const beam = await beamSearch(model, SRC, { beamWidth: 3, nBest: 2 });
    const fast = FastDecoder.from(model);
    expect(fast.encoder).not.toBeNull();
    expect(fast.decoder).not.toBeNull();
    await greedy(model, SRC, { fast });
    const before = tf.memory().numTensors;
    expectSame(await greedy(model, SRC, { fast }), tensor);
    const hostBeam = await beamSearch(model, SRC, { beamWidth: 3, nBest: 2, fast });
    for (const [r, list] of beam.entries())
      for (const [j, h] of list.entries()) {
        expect(hostBeam[r]?.[j]?.tokens).toEqual(h.tokens);
        expect(hostBeam[r]?.[j]?.logProb).toBeCloseTo(h.logProb, 4);
      }
    // generate() passes `fast` on to encoding and to both decoders.
    const viaGenerate = [
      await generate(model, SRC, { fast }),
      await generate(model, SRC, { beam: 3, nBest: 2, fast }),
    ];
    expect(viaGenerate[0]?.map((l) => l.map((h) => h.tokens))).toEqual(
      tensor.map((g) => [g.tokens]),
    );
    expect(viaGenerate[1]?.map((l) => l.map((h) => h.tokens))).toEqual(
      beam.map((l) => l.map((h) => h.tokens)),
    );
    await expect(greedy(model, [[5, 99]], { fast })).rejects.toThrow(/outside/);
    await expect(greedy(model, [[5, -1]], { fast })).rejects.toThrow(
      /non-negative integer id, got -1/,
    );
    expect(tf.memory().numTensors).toBe(before);
    fast.dispose();
    expect(fast.decoder?.idle).toBe(false);
    model.dispose();
  });
});

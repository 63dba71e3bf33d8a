// BpeDropoutBatches: every epoch resamples segmentations (lossless, seeded by seed and epoch), the
// same pairs and batch count every epoch, resumable at any position, and refusals of bad options.
import { BpeTokenizer, protect, protectWith } from '@seqlab/text';
import { describe, expect, it } from 'vitest';
import { encodeTranslationPairs } from '../src';
import { BpeDropoutBatches } from '../src/translate-prep';

const pairs = [
  { source: 'Open the file', target: 'Abrir el archivo' },
  { source: 'Save all files', target: 'Guardar todos los archivos' },
  { source: 'Close the window', target: 'Cerrar la ventana' },
  { source: 'Open %s in a new window', target: 'Abrir %s en una ventana nueva' },
  { source: 'Delete the selected files', target: 'Eliminar los archivos seleccionados' },
  { source: 'Rename the folder', target: 'Renombrar la carpeta' },
  { source: 'Print the document', target: 'Imprimir el documento' },
  {
    source: 'A very long sentence that does not fit the token limit at all, not even close',
    target: 'Una frase muy larga que no cabe en el límite de fichas, ni de lejos',
  },
];
const tok = BpeTokenizer.train(
  pairs.flatMap((p) => [p.source, p.target]),
  { vocabSize: 420, placeholders: 4 },
);
const opts = { dropout: 0.3, maxTokens: 30, batchSize: 2, seed: 5 };

/** Every batch of the source's current epoch, in order. */
function drain(src: BpeDropoutBatches): { src: number[][]; tgt: number[][] }[] {
  const out = [];
  for (let b = src.next(); b; b = src.next()) out.push(b);
  return out;
}

describe('BpeDropoutBatches', () => {
  it('keeps the pairs the deterministic encoding keeps; every sample decodes to its pair', () => {
    const data = new BpeDropoutBatches(pairs, tok, opts);
    const fixed = encodeTranslationPairs(pairs, tok, opts.maxTokens);
    expect(data.keptPairs).toBe(fixed.length);
    expect(data.keptPairs).toBeLessThan(pairs.length); // the long pair is left out
    expect(data.batchesPerEpoch).toBe(Math.ceil(fixed.length / 2));
    const want = new Set(
      pairs.slice(0, 7).map((p) => {
        const q = protect(p.source);
        return `${q.text}\t${protectWith(p.target, q.placeholders).text}`;
      }),
    );
    for (let epoch = 0; epoch < 4; epoch++) {
      data.startEpoch(epoch);
      const batches = drain(data);
      expect(batches.length).toBe(data.batchesPerEpoch);
      const got = batches.flatMap((b) =>
        b.src.map((s, i) => `${tok.decode(s)}\t${tok.decode(b.tgt[i] as number[])}`),
      );
      expect(new Set(got)).toEqual(want);
      for (const b of batches)
        for (const s of [...b.src, ...b.tgt]) expect(s.length).toBeLessThanOrEqual(opts.maxTokens);
    }
  });

  it('resamples each epoch, reproducibly from (seed, epoch), and samples longer than the fixed encoding on average', () => {
    const a = new BpeDropoutBatches(pairs, tok, opts);
    const b = new BpeDropoutBatches(pairs, tok, opts);
    expect(a.encodeEpoch(3)).toEqual(b.encodeEpoch(3));
    expect(a.encodeEpoch(3)).not.toEqual(a.encodeEpoch(4));
    const other = new BpeDropoutBatches(pairs, tok, { ...opts, seed: 6 });
    expect(other.encodeEpoch(3)).not.toEqual(a.encodeEpoch(3));
    const fixed = encodeTranslationPairs(pairs, tok, opts.maxTokens);
    const count = (xs: { src: number[] }[]) => xs.reduce((n, p) => n + p.src.length, 0);
    let sampled = 0;
    for (let e = 0; e < 20; e++) sampled += count(a.encodeEpoch(e));
    expect(sampled / 20).toBeGreaterThan(count(fixed));
  });

  it('resumes at a position with the batches a straight pass gives', () => {
    const straight = new BpeDropoutBatches(pairs, tok, opts);
    straight.startEpoch(2);
    const all = drain(straight);
    const resumed = new BpeDropoutBatches(pairs, tok, opts);
    resumed.setPosition({ epoch: 2, index: 1 });
    expect(resumed.getPosition()).toEqual({ epoch: 2, index: 1 });
    expect(drain(resumed)).toEqual(all.slice(1));
    expect(resumed.getPosition()).toEqual({ epoch: 2, index: all.length });
  });

  it('falls back to the deterministic encoding where a sample is longer than maxTokens', () => {
    // Every merge dropped: samples are characters; a limit between the two lengths forces the fallback.
    const short = [pairs[0] as { source: string; target: string }];
    const fixed = encodeTranslationPairs(short, tok, 1000)[0] as { src: number[]; tgt: number[] };
    const limit = Math.max(fixed.src.length, fixed.tgt.length);
    const data = new BpeDropoutBatches(short, tok, { ...opts, dropout: 1, maxTokens: limit });
    expect(data.encodeEpoch(0)[0]).toEqual(fixed);
  });

  it('refuses a dropout outside (0, 1], bad positions, and a corpus with nothing that fits', () => {
    expect(() => new BpeDropoutBatches(pairs, tok, { ...opts, dropout: 0 })).toThrow(
      /dropout must be in \(0, 1\], got 0/,
    );
    expect(() => new BpeDropoutBatches(pairs, tok, { ...opts, maxTokens: 1 })).toThrow(
      /no training pair has at most 1 tokens/,
    );
    expect(() => new BpeDropoutBatches(pairs, tok, opts).setPosition({ epoch: 1 })).toThrow(
      /expected \{ epoch: number, index: number \}, got \{"epoch":1\}/,
    );
  });
});

import type { FastDecoder } from '@seqlab/seq2seq';
import { findPlaceholders } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFromSource } from '../src/load';
import { memorySource } from '../src/source';
import {
  loadTranslator,
  MAX_INPUT_CHARS,
  segment,
  TRANSLATE_LENGTH_PENALTY,
  tidyOutput,
} from '../src/translator';
import { type Files, tinyCaptionerFiles, tinyTranslatorFiles } from './helpers';

let files: Files;
beforeAll(async () => {
  await tf.setBackend('cpu');
  files = await tinyTranslatorFiles();
});

describe('Translator pipeline', () => {
  it('loads from a folder, reports progress, exposes the card', async () => {
    const fractions: number[] = [];
    const t = await loadTranslator(memorySource(files), {
      onProgress: (p) => fractions.push(p.fraction),
    });
    expect(t.card.title).toContain('Spanish');
    expect(t.card.markdown).toContain('tiny');
    expect(t.card.sizeBytes).toBeGreaterThan(0);
    expect(t.languages).toEqual({ source: 'en', target: 'es' });
    expect(fractions.at(-1)).toBe(1);
    t.dispose();
  });

  it('keeps every placeholder, in the right count, greedy and beam', async () => {
    const t = await loadTranslator(memorySource(files));
    for (const src of [
      'Save the file as %s',
      'Copy %s to %s',
      'Print {count} pages of %1$s',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${name} placeholder is the input under test
      'Delete ${name}?',
    ]) {
      for (const beam of [1, 3]) {
        const r = await t.translate(src, { beam });
        expect(findPlaceholders(r.text).sort()).toEqual(findPlaceholders(src).sort());
        expect(r.placeholders.sort()).toEqual(findPlaceholders(src).sort());
        for (const h of r.nBest)
          expect(findPlaceholders(h.text).sort()).toEqual(findPlaceholders(src).sort());
      }
    }
    t.dispose();
  });

  it('returns attention rows over the source tokens and an n-best list sorted by score', async () => {
    const t = await loadTranslator(memorySource(files));
    const r = await t.translate('Open the file', { beam: 4 });
    expect(r.attention.length).toBe(r.targetTokens.length);
    for (const row of r.attention) {
      expect(row.length).toBe(r.sourceTokens.length);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
    expect(r.nBest.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < r.nBest.length; i++)
      expect((r.nBest[i - 1] as { score: number }).score).toBeGreaterThanOrEqual(
        (r.nBest[i] as { score: number }).score,
      );
    t.dispose();
  });

  it('handles empty, whitespace, emoji, RTL, control characters and lone surrogates', async () => {
    const t = await loadTranslator(memorySource(files));
    expect((await t.translate('')).text).toBe('');
    expect((await t.translate('  \n\t ')).text).toBe('');
    for (const s of [
      'Open 📂 now 👍🏽',
      'افتح الملف',
      'tab\tbell\u0007',
      'broken \ud800 pair',
      '\u0000',
    ]) {
      const r = await t.translate(s);
      expect(typeof r.text).toBe('string');
    }
    t.dispose();
  });

  it('translates 10,000 characters by segments and refuses absurdly long input', async () => {
    const t = await loadTranslator(memorySource(files));
    const long = 'Open the file and close all windows. '.repeat(271).slice(0, 10_000);
    const r = await t.translate(long);
    expect(r.sourceTokens.length).toBeGreaterThan(100);
    expect(r.attention.every((row) => row.length === r.sourceTokens.length)).toBe(true);
    await expect(t.translate('x'.repeat(MAX_INPUT_CHARS + 1))).rejects.toThrow(/at most 20000/);
    t.dispose();
  });

  it('rejects bad decode options with what is valid', async () => {
    const t = await loadTranslator(memorySource(files));
    await expect(t.translate('Quit', { beam: 0 })).rejects.toThrow(
      /beam must be an integer in 1..16, got 0/,
    );
    await expect(t.translate('Quit', { beam: 2, nBest: 3 })).rejects.toThrow(/nBest/);
    t.dispose();
  });

  it('applies lengthPenalty to beam scores: the default is TRANSLATE_LENGTH_PENALTY; bad values are refused', async () => {
    const t = await loadTranslator(memorySource(files));
    const src = 'Open the file';
    const at = async (lengthPenalty?: number) =>
      t.translate(src, { beam: 4, ...(lengthPenalty !== undefined ? { lengthPenalty } : {}) });
    expect(await at()).toEqual(await at(TRANSLATE_LENGTH_PENALTY));
    // GNMT: score = logProb / ((5 + length) / 6)^α, so for one hypothesis the ratio of its scores
    // at α = 0 and 1 equals the ratio at α = 1 and 2 (both (5 + length) / 6, at least 1).
    const byText = async (a: number) =>
      new Map((await at(a)).nBest.map((h) => [h.text, h.score] as const));
    const [s0, s1, s2] = [await byText(0), await byText(1), await byText(2)];
    let checked = 0;
    let widest = 0;
    for (const [text, a] of s0) {
      const b = s1.get(text);
      const c = s2.get(text);
      if (b === undefined || c === undefined) continue;
      expect(a / b).toBeCloseTo(b / c, 6);
      expect(a / b).toBeGreaterThanOrEqual(1);
      widest = Math.max(widest, a / b);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
    expect(widest, 'α changes the scores').toBeGreaterThan(1.1);
    // A model's own α (settings.lengthPenalty in model.json) is its default; a call still wins.
    const withAlpha = (v: unknown) => {
      const mj = JSON.parse(files['model.json'] as string);
      mj.userDefinedMetadata.settings = { ...mj.userDefinedMetadata.settings, lengthPenalty: v };
      return memorySource({ ...files, 'model.json': JSON.stringify(mj) }, 'm');
    };
    const own = await loadTranslator(withAlpha(2));
    expect(own.lengthPenalty).toBe(2);
    expect(t.lengthPenalty).toBe(TRANSLATE_LENGTH_PENALTY);
    expect(await own.translate(src, { beam: 4 })).toEqual(await at(2));
    expect(await own.translate(src, { beam: 4, lengthPenalty: 0 })).toEqual(await at(0));
    own.dispose();
    for (const bad of ['2', -1, 9])
      await expect(loadTranslator(withAlpha(bad))).rejects.toThrow(
        new RegExp(
          `m/model\\.json: userDefinedMetadata\\.settings\\.lengthPenalty must be a number in 0\\.\\.5 .*got ${JSON.stringify(bad)}`,
        ),
      );
    for (const bad of [-0.1, 5.5, Number.NaN])
      await expect(t.translate('Quit', { beam: 2, lengthPenalty: bad })).rejects.toThrow(
        new RegExp(`lengthPenalty must be a number in 0\\.\\.5 .*got ${bad}`),
      );
    t.dispose();
  });

  it('does not leak tensors across translations', async () => {
    const t = await loadTranslator(memorySource(files));
    await t.translate('Open the file', { beam: 2 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 25; i++)
      await t.translate(i % 2 ? 'Save the file as %s' : 'Close all windows', {
        beam: i % 3 === 0 ? 3 : 1,
      });
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('gives a clear error after dispose', async () => {
    const t = await loadTranslator(memorySource(files));
    t.dispose();
    await expect(t.translate('Quit')).rejects.toThrow(/after dispose/);
  });
});

describe('loading broken translation models', () => {
  const without = (f: Files, name: string): Files =>
    Object.fromEntries(Object.entries(f).filter(([k]) => k !== name));
  it('names a missing shard', async () => {
    await expect(
      loadTranslator(memorySource(without(files, 'group1-shard1of1.bin'), 'm')),
    ).rejects.toThrow(/group1-shard1of1\.bin: missing file/);
  });
  it('names a malformed model.json', async () => {
    await expect(
      loadTranslator(memorySource({ ...files, 'model.json': '{"weightsManifest": [' }, 'm')),
    ).rejects.toThrow(/m\/model\.json: malformed JSON/);
  });
  it('reports truncated weights', async () => {
    const shard = files['group1-shard1of1.bin'] as Uint8Array;
    await expect(
      loadTranslator(
        memorySource({ ...files, 'group1-shard1of1.bin': shard.slice(0, shard.length - 10) }, 'm'),
      ),
    ).rejects.toThrow(/bytes|truncated|expected/i);
  });
  it('reports a tokenizer that does not match the weights', async () => {
    const other = await tinyTranslatorFiles();
    const tj = JSON.parse(other['tokenizer.json'] as string);
    const { BpeTokenizer } = await import('@seqlab/text');
    const small = BpeTokenizer.train(['a b c'], { vocabSize: 300, minCharCount: 1 });
    tj.source = small.toJSON();
    await expect(
      loadTranslator(memorySource({ ...files, 'tokenizer.json': JSON.stringify(tj) }, 'm')),
    ).rejects.toThrow(/do not match the weights/);
  });
  it('refuses a model of the other task', async () => {
    const cap = await tinyCaptionerFiles();
    await expect(loadTranslator(memorySource(cap, 'm'))).rejects.toThrow(/caption|format/);
    const any = await loadFromSource(memorySource(cap, 'm'), { skipWarmup: true });
    expect(any.task).toBe('caption');
    any.dispose();
  });
  it('leaks no tensors when a load fails', async () => {
    const before = tf.memory().numTensors;
    const shard = files['group1-shard1of1.bin'] as Uint8Array;
    await loadTranslator(memorySource({ ...files, 'tokenizer.json': '{}' }, 'm')).catch(() => {});
    await loadTranslator(
      memorySource({ ...files, 'group1-shard1of1.bin': shard.slice(0, 5) }, 'm'),
    ).catch(() => {});
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('tidyOutput', () => {
  it('trims the output and capitalises its first letter where the source starts with a capital', () => {
    expect(tidyOutput('Final population', ' población final')).toBe('Población final');
    expect(tidyOutput('Timer:', ' temporizador: ')).toBe('Temporizador:');
    // Never lowers a letter: German nouns, names and acronyms after a lowercase source stay.
    expect(tidyOutput('open file', 'Datei öffnen')).toBe('Datei öffnen');
    expect(tidyOutput('file', 'fichier')).toBe('fichier');
    // Only letters with case: punctuation, digits, placeholders and scripts without case stay.
    expect(tidyOutput('Do you want to quit?', '¿desea salir?')).toBe('¿desea salir?');
    expect(tidyOutput('⟨ph0⟩ files', 'archivos de ⟨ph0⟩')).toBe('archivos de ⟨ph0⟩');
    expect(tidyOutput('3 files', '3 archivos')).toBe('3 archivos');
    expect(tidyOutput('Hello', 'こんにちは')).toBe('こんにちは');
    expect(tidyOutput('Street', 'ßtraße')).toBe('ßtraße');
    expect(tidyOutput('Élan', 'élan')).toBe('Élan');
    expect(tidyOutput('', ' x ')).toBe('x');
    expect(tidyOutput('Quit', '')).toBe('');
  });
});

describe('segment', () => {
  it('keeps short lines whole and packs long lines by sentence', () => {
    expect(segment('Open\n\n  Save as…  ')).toEqual(['Open', 'Save as…']);
    const long = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
    const segs = segment(long);
    expect(segs.length).toBeGreaterThan(1);
    expect(segs.join(' ')).toBe(long);
    for (const s of segs) expect(s.length).toBeLessThanOrEqual(300);
  });
});

describe('host decoding', () => {
  it('load gives decoders on cpu/wasm host steps and large enough layers an int8 head, unless told not to; same translations', async () => {
    const { wantsInt8Head } = await import('@seqlab/seq2seq');
    expect(wantsInt8Head({}, { vocab: 4000, hidden: 256 })).toBe(true);
    expect(wantsInt8Head({ int8Head: false }, { vocab: 4000, hidden: 256 })).toBe(false);
    expect(wantsInt8Head({}, { vocab: 26, hidden: 128 })).toBe(false);
    const wide = await tinyTranslatorFiles(3, 192); // vocabulary × hidden ≥ 32,768
    const withHead = await loadTranslator(memorySource(wide));
    const without = await loadTranslator(memorySource(wide), {
      int8Head: false,
      hostDecoding: false,
    });
    const fast = (t: unknown) => (t as { fast: FastDecoder }).fast;
    expect(fast(withHead).decoder).not.toBeNull();
    expect(fast(without).decoder).toBeNull();
    expect(fast(withHead).head).not.toBeNull();
    expect(fast(without).head).toBeNull();
    for (const src of ['Save the file as %s', 'Open the folder', 'Print all pages now'])
      for (const beam of [1, 3]) {
        const [a, b] = [
          await withHead.translate(src, { beam }),
          await without.translate(src, { beam }),
        ];
        expect(a.text).toBe(b.text);
        expect(a.score).toBeCloseTo(b.score, 2);
      }
    withHead.dispose();
    without.dispose();
    expect(fast(withHead).isDisposed).toBe(true); // dispose frees the kernels' copies
  });
});

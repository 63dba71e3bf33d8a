// Reliability class 6 (pipelines): text the translator cannot read comes back verbatim, markup verbatim and balanced, good text exactly as before; images the captioner cannot read are refused with the reason.
import { FastDecoder, generate, loadSeq2Seq, type Seq2Seq } from '@seqlab/seq2seq';
import { BpeTokenizer, EOS, protect, repairAndRestore, toWellFormed } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTION_INPUT_LIMITS, type CaptionerPipeline, loadCaptioner } from '../src/captioner';
import { memorySource, sourceHandler } from '../src/source';
import { loadTranslator, segment, type TranslatorPipeline, tidyOutput } from '../src/translator';
import { type Files, tinyCaptionerFiles, tinyTranslatorFiles } from './helpers';

let files: Files;
let t: TranslatorPipeline;
let c: CaptionerPipeline;
let model: Seq2Seq;
let fast: FastDecoder | null;
let tok: BpeTokenizer;
beforeAll(async () => {
  await tf.setBackend('cpu');
  files = await tinyTranslatorFiles(3);
  t = await loadTranslator(memorySource(files));
  c = await loadCaptioner(memorySource(await tinyCaptionerFiles()));
  // The pipeline as it was before markup and unreadable text were protected: protect() → model → repairAndRestore().
  ({ model } = await loadSeq2Seq(sourceHandler(memorySource(files))));
  fast = FastDecoder.from(model, {});
  tok = BpeTokenizer.fromJSON(JSON.parse(files['tokenizer.json'] as string).source);
});
afterAll(() => {
  t.dispose();
  c.dispose();
  fast?.dispose();
  model.dispose();
});

async function oldPipeline(text: string, beam: number): Promise<string> {
  const out: string[] = [];
  for (const s of segment(text)) {
    const p = protect(s);
    const ids = tok.encode(p.text);
    const maxLen = Math.min(model.config.maxLen * 4, Math.ceil(ids.length * 2) + 10);
    const [hyps] = await generate(model, [[...ids, EOS]], { beam, maxLen, fast });
    // tidyOutput came later (trim, a capital after a capital): the one step the old pipeline lacked.
    out.push(tidyOutput(s, repairAndRestore(tok.decode(hyps?.[0]?.tokens ?? []), p)));
  }
  return out.join(' ');
}

describe('translator: good text is translated exactly as before', () => {
  const good = [
    'Open the file',
    'Save the file as %s',
    'Close all windows',
    'Quit',
    'Settings',
    'Open the file as %s',
    'Save all',
    'Save the file',
  ];
  it.each(good.flatMap((s) => [1, 3].map((beam) => [s, beam] as const)))(
    '%s (beam %d)',
    async (s, beam) => {
      // Only strings the tiny tokenizer fully knows: they have no markup and nothing unreadable.
      expect(Array.from(s).every((ch) => ch === ' ' || tok.alphabet.includes(ch))).toBe(true);
      expect((await t.translate(s, { beam })).text).toBe(await oldPipeline(s, beam));
    },
  );
});

describe('translator: text the model cannot read comes back as itself', () => {
  it.each([
    ['a line of NUL bytes', '\u0000\u0000\u0000\u0000\u0000'],
    ['a lone surrogate', '\ud800'],
    ['emoji', '🙂 👩‍👩‍👧 👍🏽'],
    ['right-to-left', 'مرحبا بالعالم'],
    ['Hebrew', 'שמור קובץ'],
    ['CJK', '打开文件'],
    ['markup only', '<b></b> &amp;'],
    ['markup, emoji and a placeholder only', '<i>🙂</i> %s'],
  ])('%s', async (_name, input) => {
    for (const beam of [1, 3]) {
      const r = await t.translate(input, { beam });
      expect(r.text).toBe(toWellFormed(input));
      expect(r.nBest.map((h) => h.text)).toEqual([toWellFormed(input)]);
    }
  });

  it.each([
    ['Open 🙂 the file', ['🙂']],
    ['Save 打开文件 as %s', ['打开文件', '%s']],
    ['Close مرحبا بالعالم now', ['مرحبا بالعالم']],
    ['Quit \u0000 now', ['\u0000']],
  ])('%s: the unreadable spans come back once each, verbatim', async (input, spans) => {
    for (const beam of [1, 3]) {
      const r = await t.translate(input, { beam });
      for (const s of spans) expect(r.text.split(s).length - 1, `${s} in ${r.text}`).toBe(1);
    }
  });
});

describe('translator: markup comes back verbatim and balanced', () => {
  const tags = (s: string) => [...s.matchAll(/<\/?[a-z][^<>]*>|&[a-z#0-9]+;/gi)].map((m) => m[0]);
  it.each([
    ['<a href="x.html">Open the file</a>', ['<a href="x.html">', '</a>']],
    ['Save <b>the file</b> &amp; quit', ['<b>', '</b>', '&amp;']],
    ['<b><i>Settings</i></b> %s', ['<b>', '<i>', '</i>', '</b>']],
    ['Close &#169; all &nbsp; windows', ['&#169;', '&nbsp;']],
    ['Open the file<br/>Quit', ['<br/>']],
  ])('%s', async (input, expected) => {
    for (const beam of [1, 3]) {
      const r = await t.translate(input, { beam });
      const got = tags(r.text);
      expect([...got].sort(), r.text).toEqual([...expected].sort());
      // Balanced: each closing tag after its opening partner, nested as in the source.
      const open: string[] = [];
      for (const g of got) {
        const name = /^<\/?([a-z]+)/i.exec(g)?.[1];
        if (!name || g.endsWith('/>') || g.startsWith('&')) continue;
        if (g.startsWith('</')) expect(open.pop(), r.text).toBe(name);
        else open.push(name);
      }
      expect(open, r.text).toEqual([]);
      expect(r.placeholders).toEqual(input.includes('%s') ? ['%s'] : []);
    }
  });
});

describe('captioner: images outside what the model can read are refused with the reason', () => {
  const { minSide, maxAspect } = CAPTION_INPUT_LIMITS;
  const buffer = (w: number, h: number) => ({
    width: w,
    height: h,
    data: new Uint8ClampedArray(w * h * 4).fill(128),
  });
  it.each([
    [1, 1],
    [65535, 1],
    [10, 1000],
    [1000, 10],
    [minSide - 1, 64],
    [64, minSide - 1],
    [minSide * maxAspect + 1, minSide],
    [minSide, minSide * maxAspect + 1],
  ])('%d×%d is refused', async (w, h) => {
    const before = tf.memory().numTensors;
    await expect(c.caption(buffer(w, h))).rejects.toThrow(
      new RegExp(
        `^caption: the image is ${w}×${h} px, outside what the model can read \\(.*\\); captions need at least ${minSide}×${minSide} px and an aspect ratio up to ${maxAspect}:1`,
      ),
    );
    const x = tf.fill([h, w, 3], 128, 'int32') as tf.Tensor3D;
    await expect(c.caption(x)).rejects.toThrow(/outside what the model can read/);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    [minSide, minSide],
    [minSide * maxAspect, minSide],
    [minSide, minSide * maxAspect],
    [64, 64],
    [300, 200],
  ])('%d×%d is captioned', async (w, h) => {
    const r = await c.caption(buffer(w, h), { maxLength: 4 });
    expect(typeof r.text).toBe('string');
  });
});

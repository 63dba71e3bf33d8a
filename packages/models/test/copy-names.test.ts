// Names a translator copies as written (DecodeOptions.copy), on the shipped en→es model.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModelsDir, load } from '../src/node';
import { memorySource } from '../src/source';
import { DEFAULT_COPY, loadTranslator } from '../src/translator';
import type { Translator } from '../src/types';
import { tinyTranslatorFiles } from './helpers';

let t: Translator;
let tensorsBefore = 0;
beforeAll(async () => {
  await tf.setBackend('cpu');
  tensorsBefore = tf.memory().numTensors;
  const m = await load(join(defaultModelsDir(), 'translate-en-es'));
  if (m.task !== 'translate') throw new Error(`expected a translator, got ${m.task}`);
  t = m;
});
afterAll(() => {
  t.dispose();
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

describe('copy', () => {
  it('defaults to the classes chosen on the dev-apps sets', () => {
    expect(DEFAULT_COPY).toEqual(['url', 'path', 'identifier', 'unseen']);
  });

  it('copies words its training sources never had, and translates their neighbours', async () => {
    for (const [src, word] of [
      ['Hire a Woodcutter', 'Woodcutter'],
      ['The Fryhtans attack', 'Fryhtans'],
    ] as const) {
      const r = await t.translate(src);
      expect(r.sourceTokens, src).toContain(word);
      expect(r.text, src).toContain(word);
      const off = await t.translate(src, { copy: ['url', 'path', 'identifier'] });
      expect(off.sourceTokens, src).not.toContain(word);
    }
    // More unseen words than placeholder tokens (16): left to the model, as without the class.
    const many = Array.from({ length: 20 }, (_, i) => `Zorb${'abcdefghijklmnopqrst'[i]}lax`);
    const crowd = await t.translate(`Open ${many.join(' ')}`);
    expect(crowd.text.length).toBeGreaterThan(0);
    expect(crowd.sourceTokens).not.toContain(many[0]);
    expect(crowd.sourceTokens).toEqual(
      (await t.translate(`Open ${many.join(' ')}`, { copy: ['url', 'path', 'identifier'] }))
        .sourceTokens,
    );
    // Inflections of seen words are translated as usual.
    const seen = await t.translate('Open files');
    expect(seen.sourceTokens).not.toContain('files');
  });

  it("refuses 'unseen' on a model without a word list, drops it from the default, and checks the list", async () => {
    const files = await tinyTranslatorFiles();
    const tiny = await loadTranslator(memorySource(files), { skipWarmup: true });
    try {
      await expect(tiny.translate('Open the Settle', { copy: ['unseen'] })).rejects.toThrow(
        /'unseen' needs the model's source word list \(sourceWords in its tokenizer.json\), and this model has none/,
      );
      expect((await tiny.translate('Open the Settle')).sourceTokens).not.toContain('Settle');
    } finally {
      tiny.dispose();
    }
    const tok = JSON.parse(files['tokenizer.json'] as string);
    const withWords = await loadTranslator(
      memorySource({
        ...files,
        'tokenizer.json': JSON.stringify({ ...tok, sourceWords: ['file', 'open', 'the'] }),
      }),
      { skipWarmup: true },
    );
    try {
      const r = await withWords.translate('Open the Settle');
      expect(r.sourceTokens).toContain('Settle');
      expect(r.text).toContain('Settle');
    } finally {
      withWords.dispose();
    }
    for (const bad of [['Open'], 'open', [1]])
      await expect(
        loadTranslator(
          memorySource({
            ...files,
            'tokenizer.json': JSON.stringify({ ...tok, sourceWords: bad }),
          }),
          { skipWarmup: true },
        ),
      ).rejects.toThrow(/tokenizer.json: sourceWords must be an array of lowercase words/);
  });

  it('copies URLs, paths and identifiers as written by default', async () => {
    for (const [src, name] of [
      ['Open the image in gThumb', 'gThumb'],
      ['Stream to udp://239.255.0.1:1234 now', 'udp://239.255.0.1:1234'],
      ['Save the settings to ~/.config/myapp/settings.ini', '~/.config/myapp/settings.ini'],
      ['Build for x86_64 and IPv6', 'x86_64'],
    ] as const) {
      const r = await t.translate(src);
      expect(r.text, src).toContain(name);
      expect(r.sourceTokens, src).toContain(name);
    }
  });

  it('copies what is asked, and nothing extra with copy: []', async () => {
    const asked = await t.translate('Send it via UDP', { copy: ['acronym'] });
    expect(asked.sourceTokens).toContain('UDP');
    expect(asked.text).toContain('UDP');
    const none = await t.translate('Open the image in gThumb', { copy: [] });
    expect(none.sourceTokens).not.toContain('gThumb');
    // Placeholders and markup are protected whatever copy says.
    const ph = await t.translate('Save %s to <b>disk</b>', { copy: [] });
    expect(ph.text).toContain('%s');
    expect(ph.text).toMatch(/<b>.*<\/b>/);
  });

  it('says what copy accepts', async () => {
    await expect(t.translate('x', { copy: ['urls' as never] })).rejects.toThrow(
      /copy: expected an array of url, email, path, file, identifier, acronym, unseen \(or \[\] for none\), got "urls"/,
    );
    await expect(t.translate('x', { copy: 'url' as never })).rejects.toThrow(
      /copy: expected an array .* got string/,
    );
  });
});

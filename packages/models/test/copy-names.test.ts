// Names a translator copies as written (DecodeOptions.copy), on the shipped en→es model.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModelsDir, load } from '../src/node';
import { DEFAULT_COPY } from '../src/translator';
import type { Translator } from '../src/types';

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
    expect(DEFAULT_COPY).toEqual(['url', 'path', 'identifier']);
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
      /copy: expected an array of url, email, path, file, identifier, acronym \(or \[\] for none\), got "urls"/,
    );
    await expect(t.translate('x', { copy: 'url' as never })).rejects.toThrow(
      /copy: expected an array .* got string/,
    );
  });
});

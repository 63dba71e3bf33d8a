// Issue 16, class 8: an empty (or blank) model name is refused as such by every load entry, with the
// valid names listed — never resolved to the current directory or the site root.
import { describe, expect, it } from 'vitest';
import {
  loadCaptionerModel,
  loadTranslatorModel,
  load as loadUrl,
  MODEL_NAMES,
  modelSource,
} from '../src/load';
import { load as loadNode } from '../src/node';

const ENTRIES: [string, (name: string) => Promise<unknown>][] = [
  ['node load', (n) => loadNode(n)],
  ['load (URL)', (n) => loadUrl(n)],
  ['loadTranslatorModel', (n) => loadTranslatorModel(n)],
  ['loadCaptionerModel', (n) => loadCaptionerModel(n)],
  ['modelSource', async (n) => modelSource(n)],
];

describe('empty model names', () => {
  for (const [entry, call] of ENTRIES)
    for (const name of ['', ' ', '\t\n'])
      it(`${entry}(${JSON.stringify(name)}) says the name is empty and lists the valid ones`, async () => {
        const e = await call(name).then(
          () => null,
          (err: Error) => err,
        );
        expect(e?.message).toMatch(/^load: the model name is empty/);
        for (const n of Object.keys(MODEL_NAMES)) expect(e?.message).toContain(n);
        expect(e?.message).not.toMatch(/model\.json/);
      });
  it('a value that is not a string is refused by type', async () => {
    await expect(loadNode(undefined as unknown as string)).rejects.toThrow(
      /load: expected a model name as a string, got undefined/,
    );
  });
});

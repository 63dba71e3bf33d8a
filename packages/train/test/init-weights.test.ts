// Fine-tuning's shared parts: the architecture check (translator and captioner alike), the init
// tokenizer taken into the run dir, and the PyTorch engine's data preparation refusing a run dir
// that holds another tokenizer (it used to overwrite it silently).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceWords, trainTranslationTokenizers } from '@seqlab/text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { architectureDiff, useInitTokenizer } from '../src/init-weights';
import { prepareTorchData } from '../src/torch/engine';

const PAIRS: [string, string][] = [
  ['Open the file', 'Abrir el archivo'],
  ['Save the file', 'Guardar el archivo'],
  ['Close the window', 'Cerrar la ventana'],
  ['Save as %s', 'Guardar como %s'],
];
const tsv = (ps: string[][]) => `${ps.map((p) => p.join('\t')).join('\n')}\n`;
/** The init model's tokenizer, and another run's (trained on other strings). */
const tokenizerJson = (which: 'init' | 'other') =>
  JSON.stringify({
    joint: true,
    source: trainTranslationTokenizers(which === 'init' ? PAIRS : [['Quit now', 'Salir ya']], {
      joint: true,
      vocabSize: 40,
    }).source.toJSON(),
  });

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-init-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('architectureDiff', () => {
  it('names each differing field with both values, ignoring the training-only keys', () => {
    expect(
      architectureDiff(
        { hidden: 8, layers: 1, dropout: 0.1, extra: [1] },
        { hidden: 12, layers: 1, dropout: 0.3 },
        ['dropout'],
      ),
    ).toEqual(['hidden 8 there, 12 here', 'extra [1] there, undefined here']);
    expect(architectureDiff({ a: { b: 1 } }, { a: { b: 1 } }, [])).toEqual([]);
  });
});

describe('useInitTokenizer', () => {
  it('copies the folder tokenizer, accepts the same one again, refuses another', async () => {
    const init = join(tmp, 'model');
    await mkdir(init, { recursive: true });
    await writeFile(join(init, 'tokenizer.json'), tokenizerJson('init'));
    const tok = join(tmp, 'tokenizer.json');
    useInitTokenizer(init, tok);
    expect(readFileSync(tok, 'utf8')).toBe(readFileSync(join(init, 'tokenizer.json'), 'utf8'));
    useInitTokenizer(init, tok); // resume: the same tokenizer
    await writeFile(tok, tokenizerJson('other'));
    expect(() => useInitTokenizer(init, tok)).toThrow(/differs from .*--overwrite/);
    expect(readFileSync(tok, 'utf8')).toBe(tokenizerJson('other')); // nothing overwritten
    expect(() => useInitTokenizer(join(tmp, 'nowhere'), tok)).toThrow(
      /nowhere\/tokenizer\.json is missing \(expected a seqlab model folder/,
    );
  });
});

describe('prepareTorchData with init (the PyTorch engine)', () => {
  it('refuses a run dir holding another tokenizer, and starts over with --overwrite', async () => {
    const corpus = join(tmp, 'corpus');
    await mkdir(join(corpus, 'en-es'), { recursive: true });
    for (const s of ['train', 'valid', 'test'])
      await writeFile(join(corpus, 'en-es', `${s}.tsv`), tsv(PAIRS));
    const init = join(tmp, 'torch-init');
    await mkdir(init, { recursive: true });
    await writeFile(join(init, 'tokenizer.json'), tokenizerJson('init'));
    const runDir = join(tmp, 'torch-run');
    await mkdir(runDir, { recursive: true });
    await writeFile(join(runDir, 'tokenizer.json'), tokenizerJson('other')); // an earlier run's
    const cfg = {
      name: 't',
      target: 'es',
      corpus,
      runDir,
      out: join(tmp, 'torch-out'),
      vocabSize: 36,
      maxTokens: 32,
      init,
    };
    await expect(prepareTorchData(cfg)).rejects.toThrow(
      /tokenizer\.json differs from .*torch-init\/tokenizer\.json.*pass --overwrite/,
    );
    expect(readFileSync(join(runDir, 'tokenizer.json'), 'utf8')).toBe(tokenizerJson('other'));
    expect(existsSync(join(runDir, 'torch-data', 'train.ids'))).toBe(false);

    const dataDir = await prepareTorchData(cfg, { overwrite: true });
    expect(readFileSync(join(runDir, 'tokenizer.json'), 'utf8')).toBe(tokenizerJson('init'));
    // The data folder's copy (the one exported) adds the training sources' words.
    expect(JSON.parse(readFileSync(join(dataDir, 'tokenizer.json'), 'utf8'))).toEqual({
      ...JSON.parse(tokenizerJson('init')),
      sourceWords: sourceWords(PAIRS.map((p) => p[0])),
    });
    const prep = JSON.parse(readFileSync(join(dataDir, 'prep.json'), 'utf8')) as {
      pairs: Record<string, { kept: number }>;
    };
    expect(prep.pairs.train?.kept).toBe(PAIRS.length);
    // --resume afterwards: the same tokenizer is accepted.
    await expect(prepareTorchData(cfg)).resolves.toBe(dataDir);
  });
});

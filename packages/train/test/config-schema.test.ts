// Issue 16, class 2: every training config goes through its schema — the shipped ones validate
// unchanged (only documented defaults added), and every broken one is an error naming the field,
// what was expected and what arrived (a matrix of mutations, plus properties on random JSON).
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, readConfig } from '../src/config-file';
import {
  CAPTION_CONFIG,
  type ConfigSchema,
  TRANSLATE_CONFIG,
  validateConfig,
} from '../src/config-schema';
import { trainCaption } from '../src/tasks/caption';
import { trainTranslate } from '../src/tasks/translate';

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-config-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const CONFIGS = join(REPO_ROOT, 'configs');
const schemaOf = (file: string) =>
  file.startsWith('translate') ? TRANSLATE_CONFIG : CAPTION_CONFIG;
type Json = Record<string, unknown>;

describe('the configs in configs/', () => {
  const files = readdirSync(CONFIGS).filter((f) => f.endsWith('.json'));
  it('are all here (translate and caption)', () => {
    expect(files.filter((f) => f.startsWith('translate')).length).toBeGreaterThanOrEqual(3);
    expect(files.filter((f) => f.startsWith('caption')).length).toBeGreaterThanOrEqual(4);
  });
  for (const f of files)
    it(`${f} validates, and only documented defaults are added (so it trains as before)`, () => {
      const raw = JSON.parse(readFileSync(join(CONFIGS, f), 'utf8')) as Json;
      const cfg = readConfig(join(CONFIGS, f), schemaOf(f)) as unknown as Json;
      const defaults: Json = f.startsWith('translate')
        ? { keepBest: true, lrDrops: [], model: {} }
        : { keepBest: true, lrDrops: [], model: {}, maxShift: 0, augment: {}, lengthBuckets: 1 };
      const dataset = raw.dataset as Json | undefined;
      const want: Json = { ...defaults, ...raw };
      if (dataset?.kind === 'shapes') want.dataset = { testSize: 1000, ...dataset };
      expect(cfg).toEqual(want);
    });
});

/** Small valid configs of each kind, the bases of the mutation matrix. */
const LOOP = {
  name: 'x',
  runDir: 'runs/x',
  out: 'runs/x-out',
  batchSize: 4,
  lr: 0.01,
  clipNorm: 5,
  epochs: 1,
  validSize: 2,
  validateEvery: 2,
  checkpointEvery: 2,
  patience: 3,
  seed: 1,
  quantization: 'float16',
};
const BASES: [string, Json, ConfigSchema][] = [
  [
    'translate',
    { ...LOOP, target: 'es', corpus: 'c', vocabSize: 300, maxTokens: 48, model: { hidden: 8 } },
    TRANSLATE_CONFIG,
  ],
  [
    'caption-shapes',
    { ...LOOP, dataset: { kind: 'shapes', seed: 1, batchesPerEpoch: 3 }, model: { imageSize: 16 } },
    CAPTION_CONFIG,
  ],
  [
    'caption-folders',
    {
      ...LOOP,
      dataset: { kind: 'folders', train: ['a'], test: [{ name: 't', dir: 'b' }] },
      augment: { scale: [0.7, 1], outline: 0.5 },
      lrDrops: [{ step: 10, lr: 0.001 }],
    },
    CAPTION_CONFIG,
  ],
];

/** Set (or delete, with `undefined`) the value at a dotted path such as `dataset.seed` or `lrDrops.0.lr`. */
function mutate(base: Json, at: string, value: unknown): Json {
  const copy = structuredClone(base);
  const keys = at.split('.');
  let o = copy as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  const last = keys.at(-1) as string;
  if (value === undefined) delete o[last];
  else o[last] = value;
  return copy;
}

/** The error validating `cfg` gives (or null when it validates). */
function problem(schema: ConfigSchema, cfg: unknown): string | null {
  try {
    validateConfig(schema, cfg, 'x.json');
    return null;
  } catch (e) {
    expect(e).not.toBeInstanceOf(TypeError);
    return (e as Error).message;
  }
}

/** Paths that must exist in a valid config, and values each numeric/enum one refuses. */
const REQUIRED = [
  'name',
  'runDir',
  'out',
  'batchSize',
  'lr',
  'clipNorm',
  'epochs',
  'validSize',
  'validateEvery',
  'checkpointEvery',
  'patience',
  'seed',
  'quantization',
];
const BAD: Record<string, unknown[]> = {
  batchSize: [0, -1, 2.5, '4', null, 1e9],
  lr: [0, -0.1, 2, 'fast', null],
  clipNorm: [0, -5, 'x'],
  epochs: [0, 1.5, -2],
  validSize: [0, -1],
  validateEvery: [0, 0.5],
  checkpointEvery: [0, -1],
  patience: [0, 'x'],
  seed: [-1, 1.5, 2 ** 33],
  quantization: ['f16', 16, null],
  name: ['', 3],
  maxSteps: [0, -1, 1.5, '100'],
  keepBest: ['yes', 1],
  lrDrops: ['x', [{ step: -1, lr: 0.1 }], [{ step: 1 }], [{ step: 1, lr: 0.1, at: 2 }]],
};

describe('broken configs: every problem named with field, expectation and value (matrix)', () => {
  for (const [kind, base, schema] of BASES) {
    it(`${kind}: the base config is valid`, () => {
      expect(problem(schema, base)).toBeNull();
    });
    for (const field of [
      ...REQUIRED,
      ...(kind === 'translate' ? ['target', 'corpus', 'vocabSize', 'maxTokens'] : ['dataset']),
    ])
      it(`${kind}: missing ${field}`, () => {
        expect(problem(schema, mutate(base, field, undefined))).toMatch(
          new RegExp(`\\n  - ${field}: missing; expected `),
        );
      });
    for (const [field, values] of Object.entries(BAD))
      for (const value of values)
        it(`${kind}: ${field} = ${JSON.stringify(value)}`, () => {
          const msg = problem(schema, mutate(base, field, value));
          expect(msg).toMatch(
            new RegExp(`\\n  - ${field}(\\[\\d+\\](\\.\\w+)?)?: (expected|missing|unknown key)`),
          );
          expect(msg).toMatch(/^config x\.json: /);
        });
    for (const typo of ['batchsize', 'learningRate', 'validate_every'])
      it(`${kind}: unknown key ${typo}`, () => {
        expect(problem(schema, mutate(base, typo, 1))).toMatch(
          new RegExp(`- ${typo}: unknown key \\(no such key; valid keys are .*batchSize`),
        );
      });
  }
  const [, translate] = BASES[0] as (typeof BASES)[0];
  const [, shapes] = BASES[1] as (typeof BASES)[1];
  const [, folders] = BASES[2] as (typeof BASES)[2];
  const cases: [string, Json, ConfigSchema, RegExp][] = [
    [
      'translate model typo',
      mutate(translate, 'model.hiden', 8),
      TRANSLATE_CONFIG,
      /model\.hiden: unknown key/,
    ],
    [
      'translate model srcVocab (set by the tokenizer)',
      mutate(translate, 'model.srcVocab', 8),
      TRANSLATE_CONFIG,
      /model\.srcVocab: unknown key/,
    ],
    [
      'translate attention',
      mutate(translate, 'model.attention', 'bahdanau'),
      TRANSLATE_CONFIG,
      /model\.attention: expected "additive" \| "dot" \| "none", got "bahdanau"/,
    ],
    [
      'translate dropout',
      mutate(translate, 'model.dropout', 1),
      TRANSLATE_CONFIG,
      /model\.dropout: expected a number in \[0, 1\), got 1/,
    ],
    [
      'translate target',
      mutate(translate, 'target', 'Spanish'),
      TRANSLATE_CONFIG,
      /target: expected a language code like es, got "Spanish"/,
    ],
    [
      'translate vocabSize',
      mutate(translate, 'vocabSize', 0),
      TRANSLATE_CONFIG,
      /vocabSize: expected an integer in 1\.\.1000000, got 0/,
    ],
    [
      'caption dataset kind',
      mutate(shapes, 'dataset.kind', 'shape'),
      CAPTION_CONFIG,
      /dataset\.kind: expected "shapes" or "folders", got "shape"/,
    ],
    [
      'caption dataset missing seed',
      mutate(shapes, 'dataset.seed', undefined),
      CAPTION_CONFIG,
      /dataset\.seed: missing; expected an integer in 0\.\.4294967295/,
    ],
    [
      'caption dataset batchesPerEpoch 0',
      mutate(shapes, 'dataset.batchesPerEpoch', 0),
      CAPTION_CONFIG,
      /dataset\.batchesPerEpoch: expected an integer ≥ 1, got 0/,
    ],
    [
      'caption dataset typo',
      mutate(shapes, 'dataset.testsize', 5),
      CAPTION_CONFIG,
      /dataset\.testsize: unknown key/,
    ],
    [
      'caption dataset not an object',
      mutate(shapes, 'dataset', 'shapes'),
      CAPTION_CONFIG,
      /dataset: expected an object with "kind": "shapes" or "folders", got "shapes"/,
    ],
    [
      'caption model channels empty',
      mutate(shapes, 'model.channels', []),
      CAPTION_CONFIG,
      /model\.channels: expected a non-empty list of channel counts, got \[\]/,
    ],
    [
      'caption model positional',
      mutate(shapes, 'model.positional', 'xy'),
      CAPTION_CONFIG,
      /model\.positional: expected "none" \| "coords", got "xy"/,
    ],
    [
      'caption folders train empty',
      mutate(folders, 'dataset.train', []),
      CAPTION_CONFIG,
      /dataset\.train: expected a non-empty list of folders, got \[\]/,
    ],
    [
      'caption folders test entry',
      mutate(folders, 'dataset.test.0.dir', undefined),
      CAPTION_CONFIG,
      /dataset\.test\[0\]\.dir: missing; expected a folder path/,
    ],
    [
      'caption augment scale order',
      mutate(folders, 'augment.scale', [1, 0.5]),
      CAPTION_CONFIG,
      /augment\.scale: expected \[min, max\] with min ≤ max, got \[1,0\.5\]/,
    ],
    [
      'caption augment typo',
      mutate(folders, 'augment.outlines', 0.5),
      CAPTION_CONFIG,
      /augment\.outlines: unknown key/,
    ],
    [
      'caption maxShift',
      mutate(folders, 'maxShift', -1),
      CAPTION_CONFIG,
      /maxShift: expected an integer in 0\.\.64, got -1/,
    ],
  ];
  for (const [what, cfg, schema, re] of cases)
    it(what, () => {
      expect(problem(schema, cfg)).toMatch(re);
    });
});

describe('config files', () => {
  const write = async (name: string, bytes: string | Buffer) => {
    const f = join(tmp, name);
    await writeFile(f, bytes);
    return f;
  };
  const base = JSON.stringify((BASES[0] as (typeof BASES)[0])[1]);
  const files: [string, string | Buffer, RegExp | null][] = [
    [
      'empty.json',
      '',
      /: the file is empty; 17 problems:\n {2}- lr: missing; expected a number > 0 and ≤ 1/,
    ],
    ['blank.json', ' \n\t\n', /: the file is empty; 17 problems/],
    ['bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(base)]), null],
    [
      'latin1.json',
      Buffer.concat([Buffer.from('{"name": "'), Buffer.from([0xe9]), Buffer.from('"}')]),
      /latin1\.json:1: not valid UTF-8/,
    ],
    ['malformed.json', '{"name": ', /: malformed JSON \(/],
    ['array.json', '[1, 2]', /: expected a JSON object .*, got an array/],
    ['null.json', 'null', /\(top level\): expected an object with keys .*, got null/],
    ['number.json', '42', /\(top level\): expected an object with keys .*, got 42/],
  ];
  for (const [name, bytes, re] of files)
    it(`${name}: ${re ? 'a schema error naming the file' : 'valid'}`, async () => {
      const f = await write(name, bytes);
      if (re === null) expect(readConfig(f, TRANSLATE_CONFIG).name).toBe('x');
      else expect(() => readConfig(f, TRANSLATE_CONFIG)).toThrow(new RegExp(`^config ${f}`));
      if (re) expect(() => readConfig(f, TRANSLATE_CONFIG)).toThrow(re);
    });
  it('a missing file names it', () => {
    expect(() => readConfig(join(tmp, 'nope.json'), CAPTION_CONFIG)).toThrow(
      /^config .*nope\.json: cannot read/,
    );
  });

  it('the trainers validate before any work (no backend, no data, no run dir)', async () => {
    const bad = await write(
      'no-batch.json',
      JSON.stringify(mutate((BASES[1] as (typeof BASES)[1])[1], 'batchSize', undefined)),
    );
    await expect(trainCaption(bad)).rejects.toThrow(
      /batchSize: missing; expected an integer in 1\.\.65536/,
    );
    const zero = await write(
      'zero-batch.json',
      JSON.stringify(mutate((BASES[0] as (typeof BASES)[0])[1], 'batchSize', 0)),
    );
    await expect(trainTranslate(zero)).rejects.toThrow(
      /batchSize: expected an integer in 1\.\.65536, got 0/,
    );
    const empty = await write('empty2.json', '');
    await expect(trainCaption(empty)).rejects.toThrow(/the file is empty; [\s\S]*dataset: missing/);
    const init = await write(
      'init.json',
      JSON.stringify({ ...(BASES[0] as (typeof BASES)[0])[1], init: 'models/x' }),
    );
    await expect(trainTranslate(init)).rejects.toThrow(
      /init models\/x: .*models\/x\/model\.json is missing \(expected a seqlab translator folder/,
    );
  });
});

describe('properties', () => {
  it('any JSON value: validates or gives an error naming the file, never a raw TypeError', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (json) => {
        for (const schema of [TRANSLATE_CONFIG, CAPTION_CONFIG]) {
          const msg = problem(schema, json);
          if (msg !== null) expect(msg).toMatch(/^config x\.json: /);
        }
      }),
      { numRuns: 300 },
    );
  });
  it('any one field of a valid config set to any JSON value: valid, or the error names that field', () => {
    const fields = [
      ...REQUIRED,
      'maxSteps',
      'keepBest',
      'lrDrops',
      'target',
      'vocabSize',
      'maxTokens',
      'model',
      'testSize',
    ];
    const base = (BASES[0] as (typeof BASES)[0])[1];
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.jsonValue({ maxDepth: 2 }), (field, value) => {
        const msg = problem(TRANSLATE_CONFIG, mutate(base, field, value));
        if (msg !== null) expect(msg).toMatch(new RegExp(`\\n  - ${field}\\b`));
      }),
      { numRuns: 500 },
    );
  });
});

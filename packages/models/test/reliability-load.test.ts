// Reliability: damaged model folders on disk (models/node load) fail with errors naming the file and the damage, leak-free.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCaptioner } from '../src/captioner';
import { dirSource, load } from '../src/node';
import { loadTranslator } from '../src/translator';
import { type Files, tinyCaptionerFiles, tinyTranslatorFiles } from './helpers';

let root = '';
let tr: Files;
let cap: Files;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'models-load-'));
  tr = await tinyTranslatorFiles();
  cap = await tinyCaptionerFiles();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let n = 0;
async function folder(files: Files): Promise<string> {
  const dir = join(root, `m${n++}`);
  await mkdir(dir, { recursive: true });
  for (const [name, body] of Object.entries(files)) await writeFile(join(dir, name), body);
  return dir;
}
const SHARD = 'group1-shard1of1.bin';
const without = (f: Files, name: string): Files =>
  Object.fromEntries(Object.entries(f).filter(([k]) => k !== name));
// biome-ignore lint/suspicious/noExplicitAny: the rows edit arbitrary fields of parsed JSON files
const editJson = (f: Files, name: string, edit: (j: any) => void): Files => {
  const j = JSON.parse(f[name] as string);
  edit(j);
  return { ...f, [name]: JSON.stringify(j) };
};

describe('models/node load of damaged folders', () => {
  const rows: [string, () => Files, (dir: string) => RegExp][] = [
    ['missing shard', () => without(tr, SHARD), (d) => new RegExp(`${d}/${SHARD}: missing file`)],
    [
      'truncated weights',
      () => ({ ...tr, [SHARD]: (tr[SHARD] as Uint8Array).slice(0, 100) }),
      (d) => new RegExp(`${d}/model\\.json: weight data is 100 bytes.*truncated shard`),
    ],
    [
      'extra bytes in the shard',
      () => ({ ...tr, [SHARD]: new Uint8Array([...(tr[SHARD] as Uint8Array), 1, 2, 3, 4]) }),
      () => /extra bytes/,
    ],
    [
      'malformed model.json',
      () => ({ ...tr, 'model.json': '{"modelTopology": {"format": ' }),
      (d) => new RegExp(`${d}/model\\.json: malformed JSON`),
    ],
    [
      'model.json is an array',
      () => ({ ...tr, 'model.json': '[]' }),
      (d) => new RegExp(`${d}/model\\.json: expected`),
    ],
    [
      'missing model.json',
      () => without(tr, 'model.json'),
      (d) => new RegExp(`${d}/model\\.json: missing file`),
    ],
    [
      'wrong dtype in the manifest',
      () =>
        editJson(tr, 'model.json', (j) => {
          j.weightsManifest[0].weights[0].dtype = 'int32';
        }),
      () => /weight '.+' has dtype "int32", expected 'float32'/,
    ],
    [
      'unknown quantization dtype',
      () =>
        editJson(tr, 'model.json', (j) => {
          j.weightsManifest[0].weights[0].quantization = { dtype: 'int4' };
        }),
      () => /quantization dtype "int4"; supported: 'float16', 'uint8'/,
    ],
    [
      'wrong shape in the manifest',
      () =>
        editJson(tr, 'model.json', (j) => {
          j.weightsManifest[0].weights[0].shape = [1, 2];
        }),
      () => /has shape \[1,2\], the config needs/,
    ],
    [
      'shard path escaping the folder',
      () =>
        editJson(tr, 'model.json', (j) => {
          j.weightsManifest[0].paths = ['../../../etc/passwd'];
        }),
      () => /refusing to read '\.\.\/\.\.\/\.\.\/etc\/passwd' outside the model directory/,
    ],
    [
      'invalid config',
      () =>
        editJson(tr, 'model.json', (j) => {
          j.modelTopology.config.hidden = -3;
        }),
      () => /invalid config: Seq2SeqConfig\.hidden: expected a positive integer, got -3/,
    ],
    [
      'config asking for ~10^12 weights (refused before allocating)',
      () =>
        editJson(tr, 'model.json', (j) => {
          j.modelTopology.config.hidden = 1_000_000;
        }),
      () =>
        /weight data is \d+ bytes, too small for this config \(it needs at least \d+ weight values\)/,
    ],
    [
      'caption config with a huge vocab or image size (refused before allocating)',
      () =>
        editJson(cap, 'model.json', (j) => {
          j.modelTopology.config.imageSize = 1_000_000;
        }),
      () => /invalid caption config: imageSize must be in 1\.\.1024, got 1000000/,
    ],
    [
      'caption config with a huge vocab',
      () =>
        editJson(cap, 'model.json', (j) => {
          j.modelTopology.config.vocab = 100_000_000;
        }),
      () => /too small for this config \(vocab 100000000, .* need at least \d+ weight values\)/,
    ],
    [
      'not a seqlab model (no task metadata)',
      () =>
        editJson(tr, 'model.json', (j) => {
          delete j.userDefinedMetadata;
        }),
      () => /not a seqlab task model/,
    ],
    [
      'tokenizer that does not match the weights',
      () =>
        editJson(tr, 'tokenizer.json', (j) => {
          j.source.merges = j.source.merges.slice(0, -2);
        }),
      (d) => new RegExp(`${d}/tokenizer\\.json: tokenizer vocab sizes .* do not match the weights`),
    ],
    [
      'malformed tokenizer.json',
      () => ({ ...tr, 'tokenizer.json': 'nope' }),
      (d) => new RegExp(`${d}/tokenizer\\.json: malformed JSON`),
    ],
    [
      'caption vocab that does not match the weights',
      () =>
        editJson(cap, 'vocab.json', (j) => {
          j.tokens.push('extra');
        }),
      (d) => new RegExp(`${d}/vocab\\.json: vocab has \\d+ words but the weights expect \\d+`),
    ],
    [
      'caption model without vocab.json',
      () => without(cap, 'vocab.json'),
      (d) => new RegExp(`${d}/vocab\\.json: missing file`),
    ],
  ];
  it.each(rows)('%s', async (_name, files, error) => {
    const dir = await folder(files());
    const before = tf.memory().numTensors;
    const e = await load(dir, { skipWarmup: true }).then(
      (m) => {
        m.dispose();
        return null;
      },
      (x: Error) => x,
    );
    expect(e?.message).toMatch(error(dir));
    expect(tf.memory().numTensors).toBe(before); // a failed load frees whatever it built
  });

  it('a model of the other task is refused by the task-specific loaders', async () => {
    const capDir = await folder(cap);
    const trDir = await folder(tr);
    await expect(loadTranslator(dirSource(capDir), { skipWarmup: true })).rejects.toThrow(
      /caption|format/,
    );
    await expect(loadCaptioner(dirSource(trDir), { skipWarmup: true })).rejects.toThrow(
      /translate|format/,
    );
    const any = await load(capDir, { skipWarmup: true });
    expect(any.task).toBe('caption');
    any.dispose();
  });

  it('a path that is not a folder says what it looked at', async () => {
    await expect(load(join(root, 'nope'))).rejects.toThrow(
      /neither a shipped model name nor a directory \(looked at .*nope\)/,
    );
    const file = join(root, 'file.json');
    await writeFile(file, '{}');
    await expect(load(file)).rejects.toThrow(/neither a shipped model name nor a directory/);
  });

  it('an intact folder loads, translates and frees everything', async () => {
    const before = tf.memory().numTensors;
    const m = await load(await folder(tr));
    expect(m.task).toBe('translate');
    if (m.task === 'translate')
      expect(typeof (await m.translate('Open the file', { maxLength: 4 })).text).toBe('string');
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

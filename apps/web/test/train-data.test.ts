// /train's data validation, settings checks and model-folder zips (export and import).
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { unzipModelFolder, zipModelFolder } from '../lib/model-zip';
import { TSV_LIMITS, validateTranslationTsv } from '../lib/train-data';
import { checkSettings, DEFAULT_SETTINGS } from '../lib/train-protocol';

const pairs = (n: number) =>
  Array.from({ length: n }, (_, i) => `sentence ${i}\tfrase ${i}\textra`).join('\n');

describe('validateTranslationTsv', () => {
  it('accepts pairs (extra columns, CRLF, BOM, blank lines) and trims fields', () => {
    const r = validateTranslationTsv(
      `\uFEFF${pairs(25).replace(/\n/g, '\r\n')}\n\n  a \t b \n`,
      'x.tsv',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.pairs).toHaveLength(26);
    expect(r.pairs[0]).toEqual({ source: 'sentence 0', target: 'frase 0' });
    expect(r.pairs.at(-1)).toEqual({ source: 'a', target: 'b' });
    expect(r.skippedBlank).toBe(1);
  });

  it('names the file and line of every problem, with what was expected and what arrived', () => {
    const r = validateTranslationTsv(`${pairs(25)}\nno tab here\n\tonly target\nsrc\t \n`, 'd.tsv');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'd.tsv:26: expected at least 2 tab-separated columns (source in 1, target in 2), got 1: "no tab here"',
      'd.tsv:27: expected text in both columns, got an empty source (column 1)',
      'd.tsv:28: expected text in both columns, got an empty target (column 2)',
    ]);
  });

  it('hints at CSV, refuses binary files, too few pairs and overlong fields', () => {
    const csv = validateTranslationTsv('a,b\nc,d\n', 'p.csv');
    expect(!csv.ok && csv.errors[0]).toMatch(/p\.csv:1: .*\(is it a CSV\? use tabs\)/);
    const bin = validateTranslationTsv('PK\u0003\u0004\u0000\u0000', 'x.zip');
    expect(!bin.ok && bin.errors[0]).toMatch(/x\.zip: this is a binary file/);
    const few = validateTranslationTsv(pairs(3), 'f.tsv');
    expect(!few.ok && few.errors[0]).toBe(
      `f.tsv: expected at least ${TSV_LIMITS.minPairs} sentence pairs (some are held out to validate), got 3`,
    );
    const long = validateTranslationTsv(`${pairs(30)}\n${'x'.repeat(1200)}\ty\n`, 'l.tsv');
    expect(!long.ok && long.errors[0]).toMatch(
      /^l\.tsv:31: a field has 1200 characters, at most 1000/,
    );
  });

  it('lists at most maxErrors problems and counts the rest', () => {
    const r = validateTranslationTsv(Array(30).fill('bad').join('\n'), 'm.tsv');
    expect(!r.ok && r.errors).toHaveLength(TSV_LIMITS.maxErrors);
    expect(!r.ok && r.more).toBe(10);
  });
});

describe('checkSettings', () => {
  it('accepts the defaults and names each bad field with its range', () => {
    expect(checkSettings(DEFAULT_SETTINGS)).toEqual([]);
    expect(
      checkSettings({ ...DEFAULT_SETTINGS, steps: 2.5, lr: 0, size: 'huge' as 'tiny', target: '' }),
    ).toEqual([
      'model size: expected one of tiny, small, medium, got "huge"',
      'steps: expected an integer in 1..100000, got 2.5',
      'lr: expected a number in 0.00001..0.1, got 0',
      'target language: expected 1–32 letters, digits, spaces, - or _, got ""',
    ]);
  });
});

describe('model folder zips', () => {
  const files = {
    'model.json': new TextEncoder().encode('{"format":"seqlab-seq2seq"}'),
    'group1-0000abcd-shard1of1.bin': new Uint8Array([1, 2, 3, 4]),
    'tokenizer.json': new TextEncoder().encode('{}'),
  };

  it('round-trips a folder under its name', () => {
    const zip = zipModelFolder('my-model', files);
    expect(unzipModelFolder(zip, 'my-model.zip')).toEqual(files);
  });

  it('finds the folder at the top or one level down, ignoring __MACOSX and dot files', () => {
    const top = zipSync({ ...files, '.DS_Store': new Uint8Array([0]) });
    expect(unzipModelFolder(top, 'top.zip')).toEqual(files);
    const nested = zipSync({
      'a/b/model.json': files['model.json'],
      'a/b/tokenizer.json': files['tokenizer.json'],
      '__MACOSX/a/b/model.json': new Uint8Array([0]),
    });
    expect(Object.keys(unzipModelFolder(nested, 'n.zip')).sort()).toEqual([
      'model.json',
      'tokenizer.json',
    ]);
  });

  it('says what a model zip holds when it is not one', () => {
    expect(() => unzipModelFolder(new Uint8Array([1, 2, 3]), 'junk.zip')).toThrow(
      /^junk\.zip: not a readable zip file/,
    );
    expect(() =>
      unzipModelFolder(zipSync({ 'readme.txt': new Uint8Array([65]) }), 'r.zip'),
    ).toThrow(
      'r.zip: expected one model.json (a seqlab model folder, zipped), found 0; the zip holds readme.txt',
    );
    expect(() => zipModelFolder('bad name/..', files)).toThrow(/model name: expected 1–64/);
    expect(() => zipModelFolder('m', { 'x.bin': new Uint8Array() })).toThrow(/no model.json/);
  });
});

// Issue 16, class 7: every line reader refuses invalid UTF-8 and over-long lines naming file and
// line (never U+FFFD, never a whole huge line in memory), and drops a byte-order mark at the start.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCaptionFolders } from '../src/captions/folders';
import { loadCaptionDataset } from '../src/captions/load';
import { parseCaptionsTsv, parseCocoCaptions } from '../src/captions/parse';
import { encodePng } from '../src/images/decode';
import { decodeText, firstInvalidUtf8, readLines, TextLineError } from '../src/tsv/lines';
import { readTsvFile, streamTextFile } from '../src/tsv/read';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqlab-lines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const enc = (s: string) => Buffer.from(s, 'utf8');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Byte sequences that are not UTF-8, each placed inside line 3 of a file. */
const BAD_UTF8: [string, number[]][] = [
  ['a Latin-1 é', [0xe9]],
  ['a lone continuation byte', [0x80]],
  ['0xFF', [0xff]],
  ['an overlong "/"', [0xc0, 0xaf]],
  ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ['a truncated sequence at the end of the line', [0xe2, 0x82]],
];

/** Every reader of a line-based file, fed `bytes` under the name it would print. */
type Reader = (bytes: Buffer, maxLineBytes?: number) => Promise<unknown>;
const png = encodePng({ width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).fill(7) });
let k = 0;
async function folder(bytes: Buffer): Promise<string> {
  const d = join(dir, `f${k++}`);
  await mkdir(d);
  await writeFile(join(d, 'captions.tsv'), bytes);
  for (const f of ['a.png', 'b.png', 'c.png']) await writeFile(join(d, f), png);
  return d;
}
const READERS: [string, string, Reader][] = [
  [
    'readTsvFile',
    '.tsv',
    async (b, max) => {
      const f = join(dir, `t${k++}.tsv`);
      await writeFile(f, b);
      return readTsvFile(f, max ? { maxLineBytes: max } : {});
    },
  ],
  [
    'streamTextFile',
    '.txt',
    async (b, max) => {
      const f = join(dir, `s${k++}.txt`);
      await writeFile(f, b);
      const out: string[] = [];
      for await (const l of streamTextFile(f, max ? { maxLineBytes: max } : {})) out.push(l.text);
      return out;
    },
  ],
  [
    'loadCaptionFolders',
    'captions.tsv',
    async (b) => (await loadCaptionFolders([await folder(b)])).items,
  ],
  ['loadCaptionDataset', 'captions.tsv', async (b) => loadCaptionDataset(await folder(b))],
];

/** Good lines 1, 2 and 4 around a bad line 3, valid in every reader. */
function fileWithLine3(bad: Buffer): Buffer {
  return Buffer.concat([
    enc('a.png\ta red circle\nb.png\ta blue square\n'),
    enc('c.png\tx'),
    bad,
    enc('y\na.png\ta circle\n'),
  ]);
}

describe('line readers: invalid UTF-8 (readers × byte sequences)', () => {
  for (const [reader, name, read] of READERS)
    for (const [what, bytes] of BAD_UTF8)
      it(`${reader}: ${what} is refused naming ${name}:3`, async () => {
        const e = await read(fileWithLine3(Buffer.from(bytes))).catch((err: Error) => err);
        expect(e).toBeInstanceOf(Error);
        // 'c.png<TAB>x' is 7 bytes: the bad sequence starts at byte 8 of line 3.
        const hex = bytes[0]?.toString(16);
        expect((e as Error).message).toMatch(
          new RegExp(
            `^${dir}/\\S*${name.replace('.', '\\.')}:3: not valid UTF-8 \\(byte 0x${hex} at byte 8 of the line\\)`,
          ),
        );
      });
});

describe('line readers: an over-long line names file and line, the lines before it are read', () => {
  for (const [reader, name, read] of READERS)
    it(`${reader}: a 1.1 MB line 2`, async () => {
      const huge = Buffer.concat([
        enc('a.png\ta red circle\nb.png\t'),
        Buffer.alloc(1_100_000, 0x61),
        enc('\nc.png\tok\n'),
      ]);
      await expect(read(huge)).rejects.toThrow(
        new RegExp(
          `^${dir}/\\S*${name.replace('.', '\\.')}:2: line is 1100006 bytes long; at most 1048576`,
        ),
      );
    });
  it('maxLineBytes sets the limit (readTsvFile)', async () => {
    const read = READERS[0]?.[2] as Reader;
    await expect(read(enc('ab\tcd\nabcdefgh\tij\n'), 8)).rejects.toThrow(
      /:2: line is 11 bytes long; at most 8/,
    );
    await expect(read(enc('ab\tcd\nabcd\tij\n'), 8)).resolves.toHaveLength(2);
  });
});

describe('line readers: a byte-order mark at the start is dropped', () => {
  for (const [reader, , read] of READERS)
    it(`${reader}: the first file name / field is intact`, async () => {
      const r = (await read(
        Buffer.concat([BOM, enc('a.png\ta red circle\r\nb.png\tsquare\n')]),
      )) as unknown[];
      expect(r).toHaveLength(2);
      expect(JSON.stringify(r)).not.toContain('\uFEFF');
    });
  it('parseCaptionsTsv and parseCocoCaptions drop it too; a BOM later in the text is kept', () => {
    expect(parseCaptionsTsv('\uFEFFa.png\ta circle\n')[0]?.file).toBe('a.png');
    const coco =
      '\uFEFF{"images":[{"id":1,"file_name":"a.png"}],"annotations":[{"image_id":1,"caption":"x\uFEFFy"}]}';
    expect(parseCocoCaptions(coco)).toEqual([{ file: 'a.png', captions: ['x\uFEFFy'] }]);
    expect(decodeText(Buffer.concat([BOM, enc('a\n\uFEFFb')]), 'x')).toBe('a\n\uFEFFb');
  });
});

describe('readLines (the splitter under every reader)', () => {
  it('property: any chunking of valid UTF-8 gives the LF-split lines (BOM dropped)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.array(fc.nat(70), { maxLength: 5 }),
        fc.boolean(),
        async (text, cuts, bom) => {
          const bytes = Buffer.concat([bom ? BOM : Buffer.alloc(0), enc(text)]);
          const at = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
          const chunks = [0, ...at].map((s, i) => bytes.subarray(s, at[i] ?? bytes.length));
          const got: string[] = [];
          for await (const l of readLines(chunks)) {
            expect(l.error).toBeUndefined();
            got.push(l.text as string);
          }
          const body = bom ? text : text.replace(/^\uFEFF/, '');
          const want = body.split('\n');
          if (want[want.length - 1] === '') want.pop();
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: firstInvalidUtf8 agrees with the WHATWG decoder on random bytes', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (b) => {
        let ok = true;
        try {
          fatal.decode(b);
        } catch {
          ok = false;
        }
        expect(firstInvalidUtf8(b) === -1).toBe(ok);
      }),
      { numRuns: 2000 },
    );
  });

  it('a bad line is reported and the lines after it still come (stdin mode)', async () => {
    const lines = [];
    for await (const l of readLines(
      [enc('one\nt'), Buffer.from([0xff]), enc('o\n'), enc('x'.repeat(20)), enc('\nfour')],
      { maxLineBytes: 10 },
    ))
      lines.push(l);
    expect(lines.map((l) => l.n)).toEqual([1, 2, 3, 4]);
    expect(lines[0]?.text).toBe('one');
    expect(lines[1]?.error).toMatch(/not valid UTF-8 \(byte 0xff at byte 2/);
    expect(lines[2]?.error).toMatch(/line is 20 bytes long; at most 10/);
    expect(lines[3]?.text).toBe('four');
  });

  it('decodeText throws a TextLineError with the file and line', () => {
    const e = (() => {
      try {
        decodeText(Buffer.from([0x6f, 0x6b, 0x0a, 0x6f, 0x6b, 0x0a, 0xe9]), 'f.txt');
      } catch (err) {
        return err;
      }
    })() as TextLineError;
    expect(e).toBeInstanceOf(TextLineError);
    expect([e.file, e.line]).toEqual(['f.txt', 3]);
  });
});

// Caption dataset loaders: captions.tsv, Flickr8k tokens, COCO JSON, and their error messages.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptionsTsv, parseCocoCaptions, parseFlickr8kTokens } from '../src';
import { loadCaptionDataset } from '../src/node';

describe('parsers', () => {
  it('groups several references per image, keeping order', () => {
    expect(parseCaptionsTsv('a.png\tone\nb.png\ttwo\r\na.png\tthree\n\n')).toEqual([
      { file: 'a.png', captions: ['one', 'three'] },
      { file: 'b.png', captions: ['two'] },
    ]);
  });
  it('reports a missing column with its line number, and empty files', () => {
    expect(() => parseCaptionsTsv('a.png\tok\nb.png no tab\n', 'c.tsv')).toThrow(
      /c\.tsv:2: expected 'file<TAB>caption'/,
    );
    expect(() => parseCaptionsTsv('\n  \n', 'c.tsv')).toThrow(/c\.tsv: captions file is empty/);
  });
  it('reads Flickr8k tokens', () => {
    expect(parseFlickr8kTokens('1000.jpg#0\tA dog .\n1000.jpg#1\tA dog runs .\n')).toEqual([
      { file: '1000.jpg', captions: ['A dog .', 'A dog runs .'] },
    ]);
    expect(() => parseFlickr8kTokens('1000.jpg\tno index\n', 'tok.txt')).toThrow(/tok\.txt:1/);
  });
  it('reads COCO captions JSON', () => {
    const coco = {
      images: [{ id: 7, file_name: 'x.jpg' }],
      annotations: [
        { image_id: 7, caption: ' a cat ' },
        { image_id: 7, caption: 'cat' },
      ],
    };
    expect(parseCocoCaptions(JSON.stringify(coco))).toEqual([
      { file: 'x.jpg', captions: ['a cat', 'cat'] },
    ]);
    expect(() =>
      parseCocoCaptions(
        JSON.stringify({ ...coco, annotations: [{ image_id: 9, caption: 'c' }] }),
        'c.json',
      ),
    ).toThrow(/image_id 9/);
    expect(() => parseCocoCaptions('{"images": []}', 'c.json')).toThrow(
      /'images' and 'annotations'/,
    );
  });
});

describe('loadCaptionDataset', () => {
  it('finds captions.tsv, joins paths and lists missing images', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqlab-cap-'));
    await writeFile(join(dir, 'a.png'), 'x');
    await writeFile(join(dir, 'captions.tsv'), 'a.png\tred\na.png\tcrimson\n');
    expect(await loadCaptionDataset(dir)).toEqual([
      { file: join(dir, 'a.png'), captions: ['red', 'crimson'] },
    ]);
    await writeFile(join(dir, 'captions.tsv'), 'a.png\tred\nb.png\tblue\nc.png\tgreen\n');
    await expect(loadCaptionDataset(dir)).rejects.toThrow(
      /2 of 3 image files are missing, e\.g\. .*b\.png, .*c\.png/,
    );
  });
  it('reads a Flickr8k layout with an images folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqlab-f8k-'));
    await mkdir(join(dir, 'imgs'));
    await writeFile(join(dir, 'imgs', '1.jpg'), 'x');
    await writeFile(join(dir, 'Flickr8k.token.txt'), '1.jpg#0\tA dog .\n');
    expect(await loadCaptionDataset(dir, { imagesDir: 'imgs' })).toEqual([
      { file: join(dir, 'imgs', '1.jpg'), captions: ['A dog .'] },
    ]);
  });
  it('says which file it expected when none is there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqlab-none-'));
    await expect(loadCaptionDataset(dir)).rejects.toThrow(
      /no captions file found; expected captions\.tsv or Flickr8k\.token\.txt or captions\.json/,
    );
  });
});

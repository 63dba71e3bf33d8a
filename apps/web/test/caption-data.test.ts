// /train's caption data checks: captions.tsv against the images present, and where the data set sits in a zip.
import { describe, expect, it } from 'vitest';
import { CAPTION_LIMITS, checkCaptions, findCaptionsTsv } from '../lib/caption-data';

const images = Array.from({ length: 12 }, (_, i) => `img${i}.png`);
const tsv = images.map((f, i) => `${f}\ta shape number ${i}`).join('\n');

describe('checkCaptions', () => {
  it('groups captions by image and lists images without a caption', () => {
    const r = checkCaptions(
      `\uFEFF${tsv}\r\nimg0.png\tanother caption\r\n`,
      [...images, 'extra.jpg', 'notes.txt'],
      'd.zip',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entries).toHaveLength(12);
    expect(r.entries[0]).toEqual({
      file: 'img0.png',
      captions: ['a shape number 0', 'another caption'],
    });
    expect(r.unused).toEqual(['extra.jpg']);
  });

  it('names the line, the file and what was expected for every problem', () => {
    const r = checkCaptions(
      `${tsv}\nmissing.png\ta cat\nIMG1.PNG\ta dog\nreadme.txt\ttext\nno tab here\nimg2.png\t  \n`,
      images,
      'd.zip',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      "d.zip/captions.tsv:13: image 'missing.png' is not in d.zip",
      "d.zip/captions.tsv:14: image 'IMG1.PNG' is not in d.zip (did you mean 'img1.png'? names are case-sensitive)",
      "d.zip/captions.tsv:15: 'readme.txt' is not an image file name (.png, .jpg, .jpeg, .gif, .webp, .bmp)",
      `d.zip/captions.tsv:16: expected 'image<TAB>caption' (2 columns, both non-empty), got "no tab here"`,
      `d.zip/captions.tsv:17: expected 'image<TAB>caption' (2 columns, both non-empty), got "img2.png\\t  "`,
    ]);
  });

  it('needs enough captioned images', () => {
    const r = checkCaptions('img0.png\ta shape\n', images, 'few');
    expect(!r.ok && r.errors).toEqual([
      `few: expected at least ${CAPTION_LIMITS.minImages} captioned images (some are held out to validate), got 1`,
    ]);
  });
});

describe('findCaptionsTsv', () => {
  it('finds the one captions.tsv at any depth, ignoring __MACOSX and dot files', () => {
    expect(
      findCaptionsTsv(['pets/captions.tsv', 'pets/a.png', '__MACOSX/pets/captions.tsv'], 'z'),
    ).toEqual({
      captions: 'pets/captions.tsv',
      prefix: 'pets/',
    });
    expect(findCaptionsTsv(['captions.tsv', '.captions.tsv'], 'z').prefix).toBe('');
  });

  it('says what it expected when there is none or several', () => {
    expect(() => findCaptionsTsv(['a.png', 'b.png'], 'x.zip')).toThrow(
      "x.zip: expected one captions.tsv beside the images (lines of 'image<TAB>caption'), found 0; it holds a.png, b.png",
    );
    expect(() => findCaptionsTsv(['a/captions.tsv', 'b/captions.tsv'], 'x.zip')).toThrow(
      /found 2: a\/captions.tsv, b\/captions.tsv/,
    );
  });
});

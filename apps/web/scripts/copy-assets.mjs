// Copies pretrained models (repo models/) and the tfjs wasm binaries into public/ before a build.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const web = join(here, '..');
const repo = join(web, '..', '..');

const modelsSrc = join(repo, 'models');
const modelsDst = join(web, 'public', 'models');
rmSync(modelsDst, { recursive: true, force: true });
if (existsSync(modelsSrc)) {
  for (const name of readdirSync(modelsSrc)) {
    if (existsSync(join(modelsSrc, name, 'model.json'))) {
      cpSync(join(modelsSrc, name), join(modelsDst, name), { recursive: true });
      console.log(`copied model ${name}`);
    }
  }
}

const require = createRequire(import.meta.url);
let wasmDir;
try {
  wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
} catch {
  wasmDir = undefined;
}
if (wasmDir) {
  const dst = join(web, 'public', 'wasm');
  mkdirSync(dst, { recursive: true });
  for (const f of readdirSync(join(wasmDir, 'dist')).filter((f) => f.endsWith('.wasm'))) {
    cpSync(join(wasmDir, 'dist', f), join(dst, f));
  }
  console.log('copied tfjs wasm binaries');
}

// Emoji gallery: the same 60 emoji in three styles, with their CLDR names as captions. The images
// are not committed (licences: Google Apache-2.0, Twitter CC-BY-4.0, OpenMoji CC-BY-SA-4.0).
const EMOJI_COUNT = 60;
const GALLERY_CATEGORIES = [
  'Smileys & Emotion',
  'Animals & Nature',
  'Food & Drink',
  'Travel & Places',
  'Activities',
  'Objects',
];
const emojiDst = join(web, 'public', 'emoji');
function resolvePkg(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}
const googleDir = resolvePkg('emoji-datasource-google');
const twitterDir = resolvePkg('emoji-datasource-twitter');
const openmojiDir = resolvePkg('openmoji');
const cldrDir = resolvePkg('cldr-annotations-full');
if (googleDir && twitterDir && openmojiDir) {
  const { Resvg } = await import('@resvg/resvg-js');
  const { readFileSync, writeFileSync } = await import('node:fs');
  const all = JSON.parse(readFileSync(join(googleDir, 'emoji.json'), 'utf8'));
  // Captions are CLDR short names (the emoji model's training captions), else emoji-datasource's name.
  const cldr = cldrDir
    ? JSON.parse(readFileSync(join(cldrDir, 'annotations', 'en', 'annotations.json'), 'utf8'))
        .annotations.annotations
    : {};
  const captionOf = (e) => {
    const full = String.fromCodePoint(...e.unified.split('-').map((h) => Number.parseInt(h, 16)));
    for (const key of [full, full.replaceAll('\uFE0F', '')]) {
      const tts = cldr[key]?.tts?.[0];
      if (tts) return tts.toLowerCase();
    }
    return e.name.toLowerCase();
  };
  const openmojiSvg = (unified) => {
    for (const name of [unified, unified.replace(/-FE0F/g, '')]) {
      const p = join(openmojiDir, 'color', 'svg', `${name}.svg`);
      if (existsSync(p)) return p;
    }
    return undefined;
  };
  // Single code point emoji drawn in every style, spread evenly over the gallery categories.
  const candidates = all
    .filter(
      (e) =>
        GALLERY_CATEGORIES.includes(e.category) &&
        e.has_img_google &&
        e.has_img_twitter &&
        !e.unified.includes('-'),
    )
    .filter((e) => openmojiSvg(e.unified))
    .sort((a, b) => a.sort_order - b.sort_order);
  const step = candidates.length / EMOJI_COUNT;
  const chosen = Array.from(
    { length: EMOJI_COUNT },
    (_, i) => candidates[Math.floor(i * step)],
  ).filter(Boolean);
  rmSync(emojiDst, { recursive: true, force: true });
  for (const style of ['google', 'twitter', 'openmoji'])
    mkdirSync(join(emojiDst, style), { recursive: true });
  const items = [];
  for (const e of chosen) {
    const file = `${e.unified.toLowerCase()}.png`;
    cpSync(join(googleDir, 'img', 'google', '64', e.image), join(emojiDst, 'google', file));
    cpSync(join(twitterDir, 'img', 'twitter', '64', e.image), join(emojiDst, 'twitter', file));
    const svg = readFileSync(openmojiSvg(e.unified));
    const png = new Resvg(svg, { fitTo: { mode: 'width', value: 64 }, background: 'rgba(0,0,0,0)' })
      .render()
      .asPng();
    writeFileSync(join(emojiDst, 'openmoji', file), png);
    items.push({
      id: e.unified.toLowerCase(),
      char: String.fromCodePoint(Number.parseInt(e.unified, 16)),
      caption: captionOf(e),
      category: e.category,
      file,
    });
  }
  const index = {
    styles: [
      {
        id: 'google',
        name: 'Google Noto',
        licence: 'Apache-2.0',
        source: 'emoji-datasource-google',
      },
      {
        id: 'twitter',
        name: 'Twitter Twemoji',
        licence: 'CC-BY-4.0',
        source: 'emoji-datasource-twitter',
      },
      { id: 'openmoji', name: 'OpenMoji', licence: 'CC-BY-SA-4.0', source: 'openmoji' },
    ],
    items,
  };
  writeFileSync(join(emojiDst, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
  console.log(`copied ${items.length} emoji in 3 styles`);
} else {
  console.log('emoji packages not installed: the gallery will be empty');
}

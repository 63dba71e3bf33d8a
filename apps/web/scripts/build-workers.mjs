// Bundles the model workers (workers/*.worker.ts) into public/workers/ with esbuild, under stable
// names (/workers/translate.js, /workers/caption.js) that the page's first inline script can start
// before any of the app's own JavaScript has loaded (lib/boot.ts). Shared code and the GPU
// backends (imported only where a GPU is) go to content-hashed chunks beside them.
//
//   node scripts/build-workers.mjs          # production bundle (minified)
//   node scripts/build-workers.mjs --dev    # readable, with source maps
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
// lib/boot.ts starts /workers/<task>.js for each workers/<task>.worker.ts.
// The lab's worker is built on its own (below), so its code never re-splits the demos' chunks.
// Workers with bundles of their own, started only by their pages or panels.
const OWN_BUNDLE = ['lab.worker.ts', 'train.worker.ts', 'imported.worker.ts'];
const tasks = readdirSync(join(web, 'workers'))
  .filter((f) => f.endsWith('.worker.ts') && !OWN_BUNDLE.includes(f))
  .map((f) => f.slice(0, -'.worker.ts'.length));
const outdir = join(web, 'public', 'workers');
const dev = process.argv.includes('--dev');

rmSync(outdir, { recursive: true, force: true });
const options = {
  absWorkingDir: web,
  entryPoints: Object.fromEntries(tasks.map((t) => [t, `workers/${t}.worker.ts`])),
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: !dev,
  sourcemap: dev,
  chunkNames: 'chunk-[hash]',
  tsconfig: 'tsconfig.json',
  define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
};
const result = await build(options);
// /workers/lab/lab.js and its chunks: only the RNN lab (app/lab) starts it.
const lab = await build({
  ...options,
  entryPoints: { lab: 'workers/lab.worker.ts' },
  outdir: join(outdir, 'lab'),
  // The lab worker bundles its time series (vega-datasets CSV) as text.
  loader: { '.csv': 'text' },
});
// /workers/train/train.js: only /train starts it (the training packages stay out of the demos).
const train = await build({
  ...options,
  entryPoints: { train: 'workers/train.worker.ts' },
  outdir: join(outdir, 'train'),
});
// /workers/imported/imported.js: the demos' "use your own model" panel, started on first use.
const imported = await build({
  ...options,
  entryPoints: { imported: 'workers/imported.worker.ts' },
  outdir: join(outdir, 'imported'),
});
const files = [
  ...Object.entries(result.metafile.outputs),
  ...Object.entries(lab.metafile.outputs),
  ...Object.entries(train.metafile.outputs),
  ...Object.entries(imported.metafile.outputs),
]
  .filter(([f]) => f.endsWith('.js'))
  .map(([f, o]) => `${f.split('/').pop()} ${(o.bytes / 1024).toFixed(0)} kB`);
console.log(`workers → public/workers/: ${files.join(', ')}`);

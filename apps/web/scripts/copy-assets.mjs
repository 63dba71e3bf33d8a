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

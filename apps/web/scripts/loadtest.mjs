// Load test of the built app: `next start` on a free loopback port, autocannon per target, non-zero exit on any error.
// Usage (after `pnpm run build` in apps/web): node apps/web/scripts/loadtest.mjs [--duration 5] [--connections 20]
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startServer, web } from '../e2e/launch.mjs';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '20' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
if (
  !(duration > 0 && duration <= 60) ||
  !(Number.isInteger(connections) && connections >= 1 && connections <= 500)
) {
  console.error(
    `loadtest: --duration must be in (0, 60] s and --connections an integer in 1..500; got ${values.duration}, ${values.connections}`,
  );
  process.exit(2);
}
if (!existsSync(join(web, '.next', 'BUILD_ID'))) {
  console.error(
    'loadtest: no production build in apps/web/.next; run `pnpm run build` in apps/web first',
  );
  process.exit(2);
}

/** The largest file of the first model under public/models (a weight shard), if any model was copied there. */
function modelFile() {
  const root = join(web, 'public', 'models');
  if (!existsSync(root)) return null;
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!statSync(dir).isDirectory() || !existsSync(join(dir, 'model.json'))) continue;
    const files = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
    files.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size);
    return `/${relative(join(web, 'public'), join(dir, files[0] ?? 'model.json'))
      .split('\\')
      .join('/')}`;
  }
  return null;
}

const targets = ['/', '/translate', '/caption'];
const model = modelFile();
if (model) targets.push(model);
else console.log('loadtest: no model under public/models; skipping the model-file target');

const { base, stop } = await startServer();
const rows = [];
let failed = false;
try {
  for (const path of targets) {
    const r = await autocannon({ url: `${base}${path}`, connections, duration, timeout: 10 });
    // non2xx counts 3xx too: every target must answer 200 directly.
    const bad = r.errors + r.timeouts + r.non2xx;
    if (bad > 0) failed = true;
    rows.push({
      target: path,
      'req/s': Math.round(r.requests.average),
      'p99 ms': r.latency.p99,
      'MB/s': Number((r.throughput.average / 1e6).toFixed(1)),
      requests: r.requests.total,
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: r.non2xx,
    });
  }
} finally {
  stop();
}
console.log(`loadtest: ${connections} connections, ${duration} s per target, ${base}`);
console.table(rows);
if (failed) {
  console.error('loadtest: FAILED — errors, timeouts or non-2xx responses above');
  process.exit(1);
}
console.log('loadtest: ok');

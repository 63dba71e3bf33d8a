import { benchOurs, DEFAULT_BENCH } from '../src/node';
const r = await benchOurs({ ...DEFAULT_BENCH, batch: 16, warmup: 1, steps: 1 }, 'cpu', true);
console.log(r.stepMs.toFixed(0), 'ms/step at batch 16');
for (const p of r.profile!.slice(0, 12)) console.log(p.ms.toFixed(1).padStart(8), String(p.calls).padStart(4), p.kernel);

// `seqlab bench decode`: single-input latency of the shipped models in Node (wasm), the way an
// app calls them — one sentence or one image at a time — against the budgets.
import type { Command } from 'commander';
import { intFlag } from '../args';
import { examples } from '../help';

/** Ten-word English UI strings (not from the corpus). */
export const TEN_WORD_SENTENCES = [
  'Could not open the file because the disk is full',
  'Do you want to save the changes to this document',
  'The server did not answer within the time limit',
  'Select the files you want to copy to the folder',
  'Your password must contain at least eight characters and digits',
  'Click here to download the latest version of the program',
  'The connection to the printer was lost during the job',
  'Please restart the application to apply the new settings now',
];

/** The browser budgets of the translate and caption issues, ms (warm, one input at a time). */
export const BUDGET_MS = { greedy: 20, beam4: 60, caption: 15 };

function stats(ms: number[]): { median: number; p90: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return { median: Math.round(at(0.5) * 10) / 10, p90: Math.round(at(0.9) * 10) / 10 };
}

async function time(fn: () => Promise<unknown>, rounds: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export function register(program: Command): void {
  const bench =
    program.commands.find((c) => c.name() === 'bench') ??
    program.command('bench').description('Benchmarks');
  const cmd = bench
    .command('decode')
    .description(
      'Latency of the shipped models, one input at a time (wasm): 10-word translations greedy and beam 4, Shapes captions greedy; each against the same model decoding with tensor ops and a float32 output layer, in the same run',
    )
    .option(
      '--models <list>',
      'models to time',
      'translate-en-es,translate-en-fr,translate-en-de,caption-shapes',
    )
    .option(
      '--rounds <n>',
      'timed passes over the inputs, 1..1000',
      intFlag('--rounds', 1, 1000),
      3,
    )
    .option('--json', 'print only the JSON result line');
  examples(cmd, [
    'pnpm seqlab bench decode --models translate-en-es,caption-shapes --rounds 1',
    'pnpm seqlab bench decode --json',
  ]);
  cmd.action(async (opts: { models: string; rounds: number; json?: boolean }) => {
    const rounds = opts.rounds;
    // Loaded here, not at the top: `seqlab --help` and `--version` need no TensorFlow.js.
    const { generateScene } = await import('@seqlab/data');
    const { load } = await import('@seqlab/models/node');
    const { initBackend } = await import('@seqlab/rnn');
    const backend = await initBackend('wasm');
    const say = (s: string) => {
      if (!opts.json) process.stdout.write(`${s}\n`);
    };
    const result: Record<string, unknown> = { backend, budgets_ms: BUDGET_MS };
    const verdict = (v: number, budget: number) => (v <= budget ? 'within' : 'OVER');
    for (const name of opts.models.split(',').map((s) => s.trim())) {
      const m = await load(name);
      // The same model decoding with one tensor op per step and the float32 output layer (what
      // it did before host decoding): the baseline the defaults are timed against.
      const baseline = await load(name, { int8Head: false, hostDecoding: false });
      try {
        if (m.task === 'translate' && baseline.task === 'translate') {
          const row: Record<string, unknown> = {};
          for (const [label, beam] of [
            ['greedy', 1],
            ['beam4', 4],
          ] as const) {
            for (const t of [m, baseline])
              for (const s of TEN_WORD_SENTENCES.slice(0, 2)) await t.translate(s, { beam }); // warm-up
            const ms: number[] = [];
            const base: number[] = [];
            // Rounds alternate between the two so drift in machine speed hits both alike.
            for (let r = 0; r < rounds; r++)
              for (const s of TEN_WORD_SENTENCES) {
                ms.push(...(await time(() => m.translate(s, { beam }), 1)));
                base.push(...(await time(() => baseline.translate(s, { beam }), 1)));
              }
            const st = stats(ms);
            const bs = stats(base);
            row[`${label}_ms_median`] = st.median;
            row[`${label}_ms_p90`] = st.p90;
            row[`${label}_baseline_ms_median`] = bs.median;
            say(
              `${name.padEnd(16)} ${label.padEnd(6)} ${st.median.toFixed(1).padStart(7)} ms/sentence (p90 ${st.p90.toFixed(1)}, ${ms.length} ten-word sentences, one at a time)  budget ≤ ${BUDGET_MS[label]}  ${verdict(st.median, BUDGET_MS[label])}  | tensor-op baseline ${bs.median.toFixed(1)} ms, ratio ${(bs.median / st.median).toFixed(2)}`,
            );
          }
          result[name] = row;
        } else if (m.task === 'caption' && baseline.task === 'caption') {
          const scenes = Array.from({ length: 20 }, (_, index) =>
            generateScene({ seed: 1, split: 'test', index }),
          );
          const img = (i: number) => {
            const s = scenes[i % scenes.length] as (typeof scenes)[number];
            return { width: s.width, height: s.height, data: s.data };
          };
          for (let i = 0; i < 3; i++) for (const c of [m, baseline]) await c.caption(img(i));
          const ms: number[] = [];
          const base: number[] = [];
          for (let r = 0; r < rounds; r++)
            for (let i = 0; i < scenes.length; i++) {
              ms.push(...(await time(() => m.caption(img(i)), 1)));
              base.push(...(await time(() => baseline.caption(img(i)), 1)));
            }
          const st = stats(ms);
          const bs = stats(base);
          result[name] = {
            greedy_ms_median: st.median,
            greedy_ms_p90: st.p90,
            greedy_baseline_ms_median: bs.median,
          };
          say(
            `${name.padEnd(16)} greedy ${st.median.toFixed(1).padStart(7)} ms/image (p90 ${st.p90.toFixed(1)}, ${ms.length} Shapes scenes, one at a time)  budget ≤ ${BUDGET_MS.caption}  ${verdict(st.median, BUDGET_MS.caption)}  | tensor-op baseline ${bs.median.toFixed(1)} ms, ratio ${(bs.median / st.median).toFixed(2)}`,
          );
        }
      } finally {
        m.dispose();
        baseline.dispose();
      }
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });
}

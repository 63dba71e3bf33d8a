// `seqlab translate --model NAME|DIR [--beam N] [TEXT…]`: one translation per line (stdin lines when no TEXT).
import type { Command } from 'commander';
import { beamFlag, MAX_BEAM } from '../args';

export function register(program: Command): void {
  program
    .command('translate')
    .description(
      'translate English text with a trained model; reads stdin lines when no TEXT is given',
    )
    .addHelpText(
      'after',
      '\nstdin: a line that cannot be translated (not UTF-8, too long) is reported on stderr with its\n' +
        'number and gives an empty output line; the other lines are translated; the exit status is 1.',
    )
    .requiredOption(
      '--model <name|dir>',
      'translate-en-es | translate-en-fr | translate-en-de, or a model directory',
    )
    .option('--beam <n>', `beam width, 1..${MAX_BEAM} (1 = greedy)`, beamFlag, 1)
    .argument('[text...]', 'text to translate')
    .action(async (text: string[], o: { model: string; beam: number }) => {
      const { initBackend } = await import('@seqlab/rnn');
      const { load } = await import('@seqlab/models/node');
      const { readLines } = await import('@seqlab/data');
      await initBackend();
      const m = await load(o.model);
      let failed = 0;
      try {
        if (m.task !== 'translate')
          throw new Error(`--model ${o.model} is a ${m.task} model; expected a translate model`);
        const one = async (line: string) => {
          const r = await m.translate(line, { beam: o.beam });
          process.stdout.write(`${r.text}\n`);
        };
        if (text.length > 0) await one(text.join(' '));
        else {
          // One bad line (invalid UTF-8, too long for the model) must not lose the lines after it:
          // report it by number, keep the output aligned with an empty line, and carry on.
          const skip = (n: number, why: string) => {
            failed++;
            process.stderr.write(`seqlab translate: stdin:${n}: ${why}\n`);
            process.stdout.write('\n');
          };
          for await (const line of readLines(process.stdin)) {
            if (line.error !== undefined) {
              skip(line.n, line.error);
              continue;
            }
            try {
              await one(line.text.endsWith('\r') ? line.text.slice(0, -1) : line.text);
            } catch (e) {
              skip(line.n, (e as Error).message);
            }
          }
          if (failed > 0)
            process.stderr.write(`seqlab translate: ${failed} line(s) not translated\n`);
        }
      } finally {
        m.dispose();
      }
      if (failed > 0) process.exitCode = 1;
    });
}

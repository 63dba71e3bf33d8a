// `seqlab translate --model NAME|DIR [--beam N] [TEXT…]`: one translation per line (stdin lines when no TEXT).
import { createInterface } from 'node:readline';
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('translate')
    .description(
      'translate English text with a trained model; reads stdin lines when no TEXT is given',
    )
    .requiredOption(
      '--model <name|dir>',
      'translate-en-es | translate-en-fr | translate-en-de, or a model directory',
    )
    .option('--beam <n>', 'beam width (1 = greedy)', (v) => Number.parseInt(v, 10), 1)
    .argument('[text...]', 'text to translate')
    .action(async (text: string[], o: { model: string; beam: number }) => {
      const { initBackend } = await import('@seqlab/rnn');
      const { load } = await import('@seqlab/models/node');
      await initBackend();
      const m = await load(o.model);
      try {
        if (m.task !== 'translate')
          throw new Error(`--model ${o.model} is a ${m.task} model; expected a translate model`);
        const one = async (line: string) => {
          const r = await m.translate(line, { beam: o.beam });
          process.stdout.write(`${r.text}\n`);
        };
        if (text.length > 0) await one(text.join(' '));
        else
          for await (const line of createInterface({
            input: process.stdin,
            crlfDelay: Number.POSITIVE_INFINITY,
          }))
            await one(line);
      } finally {
        m.dispose();
      }
    });
}

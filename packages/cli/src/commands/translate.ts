// `seqlab translate --model NAME|DIR [--beam N] [--json [--n-best N] [--attention]] [TEXT…]`:
// one result per input (stdin lines when no TEXT), streamed in order; stdout carries results only.

import type { CopyClass } from '@seqlab/text';
import type { Command } from 'commander';
import { beamFlag, copyFlag, MAX_BEAM, UsageError } from '../args';
import { examples } from '../help';
import { loadingBar, quietOption } from '../progress';
import {
  checkResultFlags,
  decodeOptions,
  errorJson,
  nBestFlag,
  type ResultFlags,
  translationJson,
} from '../results';

interface TranslateOptions extends ResultFlags {
  model: string;
  quiet?: boolean;
  copy?: CopyClass[];
}

export function register(program: Command): void {
  const cmd = program
    .command('translate')
    .description(
      'translate English text with a trained model; reads stdin one sentence a line when no TEXT is given',
    )
    .requiredOption(
      '--model <name|dir>',
      'translate-en-es | translate-en-fr | translate-en-de, or a model directory',
    )
    .option('--beam <n>', `beam width, 1..${MAX_BEAM} (1 = greedy)`, beamFlag, 1)
    .option('--json', 'one JSON object per input (JSON Lines): text, score, n_best')
    .option(
      '--n-best <n>',
      `with --json: hypotheses in n_best, 1..--beam (default --beam)`,
      nBestFlag,
    )
    .option('--attention', 'with --json: source/target tokens and the attention matrix')
    .option(
      '--copy <classes>',
      "names copied as written: none, all, or a comma list of url,email,path,file,identifier,acronym,unseen (unseen: words absent from the model's training sources; default: the pipeline default)",
      copyFlag,
    )
    .argument('[text...]', 'text to translate (the words are joined into one input)');
  quietOption(cmd);
  cmd.addHelpText(
    'after',
    '\nstdin: one result line per input line, in order, as each is translated; a line that cannot\n' +
      'be translated (not UTF-8, too long) is reported on stderr with its number and gives an empty\n' +
      'line (with --json: {"line", "input", "error"}); the other lines are translated; exit status 1.',
  );
  examples(cmd, [
    'pnpm seqlab translate --model translate-en-es "Save the file as %s"',
    'pnpm seqlab translate --model translate-en-fr --beam 4 --json --n-best 2 --attention "Open the file"',
    "printf 'Open the file\\nQuit\\n' | pnpm seqlab translate --model translate-en-de",
  ]);
  cmd.action(async (text: string[], o: TranslateOptions) => {
    checkResultFlags(o);
    const { initBackend } = await import('@seqlab/rnn');
    const { load } = await import('@seqlab/models/node');
    const { readLines } = await import('@seqlab/data');
    await initBackend();
    const bar = loadingBar(o.model, o.quiet);
    const m = await load(o.model, { onProgress: bar.onProgress }).finally(() => bar.stop());
    const decode = { ...decodeOptions(o), ...(o.copy ? { copy: o.copy } : {}) };
    let failed = 0;
    try {
      if (m.task !== 'translate')
        throw new UsageError(
          `--model ${o.model} is a ${m.task} model; expected a translate model (translate-en-es, translate-en-fr, translate-en-de or a folder of one)`,
        );
      const print = (record: Record<string, unknown> | string) =>
        process.stdout.write(`${typeof record === 'string' ? record : JSON.stringify(record)}\n`);
      const one = async (input: string, line?: number) => {
        const r = await m.translate(input, decode);
        print(
          o.json
            ? {
                ...(line !== undefined ? { line } : {}),
                ...translationJson(input, r, o.attention === true),
              }
            : r.text,
        );
      };
      if (text.length > 0) await one(text.join(' '));
      else {
        // One bad line (invalid UTF-8, too long for the model) must not lose the lines after it:
        // report it by number, keep the output aligned (an empty line, or a record with the
        // error), and carry on.
        const skip = (n: number, input: string | null, why: string) => {
          failed++;
          process.stderr.write(`seqlab translate: stdin:${n}: ${why}\n`);
          print(o.json ? { line: n, ...errorJson('input', input, why) } : '');
        };
        // Someone at a keyboard (not a pipe) gets told why nothing happens yet.
        if (process.stdin.isTTY && !o.quiet)
          process.stderr.write(
            'seqlab translate: reading sentences from stdin, one a line (Ctrl-D ends; pass TEXT to translate it directly)\n',
          );
        for await (const line of readLines(process.stdin)) {
          if (line.error !== undefined) {
            skip(line.n, null, line.error);
            continue;
          }
          const input = line.text.endsWith('\r') ? line.text.slice(0, -1) : line.text;
          try {
            await one(input, line.n);
          } catch (e) {
            skip(line.n, input, (e as Error).message);
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

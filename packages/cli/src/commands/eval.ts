// `seqlab eval translate|caption … --json`: quality and speed of a model on a test set, one JSON line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CopyClass } from '@seqlab/text';
import type { Command } from 'commander';
import {
  beamFlag,
  copyFlag,
  intFlag,
  MAX_BEAM,
  MAX_LENGTH_PENALTY,
  numberFlag,
  UsageError,
} from '../args';
import { examples } from '../help';
import { loadingBar, progress, quietOption } from '../progress';

/** Largest --limit (lines of a test set). */
const MAX_LIMIT = 10_000_000;

/** Apertium en→es on many segments at once (blank-line separated), or null when it is not installed. */
export function apertium(sources: readonly string[], mode = 'eng-spa'): string[] | null {
  const probe = spawnSync('apertium', ['-l'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0 || !probe.stdout.includes(mode)) return null;
  // Apertium reflows text: one segment per paragraph keeps alignment. '*' marks unknown words (-u drops it).
  const input = sources.map((s) => s.replace(/\s+/g, ' ').trim()).join('\n\n');
  // The apertium script mis-reads a non-terminal stdin when run from Node: hand it a file instead.
  const dir = mkdtempSync(path.join(tmpdir(), 'seqlab-apertium-'));
  const file = path.join(dir, 'in.txt');
  writeFileSync(file, `${input}\n`);
  const r = spawnSync('apertium', ['-u', mode, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`apertium ${mode} failed: ${r.stderr}`);
  const out = r.stdout.split(/\n\s*\n/).map((s) => s.replace(/\s+/g, ' ').trim());
  if (out.length < sources.length)
    throw new Error(`apertium returned ${out.length} segments for ${sources.length} inputs`);
  return out.slice(0, sources.length);
}

/** ISO 639-3 codes of Apertium's pair names for the targets seqlab trains. */
const ISO3: Record<string, string> = {
  es: 'spa',
  fr: 'fra',
  de: 'deu',
  ca: 'cat',
  gl: 'glg',
  it: 'ita',
  pt: 'por',
};

/**
 * The Apertium mode that translates English into `target` (an ISO 639-1 code from the model's
 * metadata): `eng-spa` for `es`. Whether it is installed is for `apertium()` to find out.
 *
 * @example apertiumMode('fr') // 'eng-fra'
 */
export function apertiumMode(target: string): string {
  return `eng-${ISO3[target] ?? target}`;
}

export function register(program: Command): void {
  const ev = program
    .command('eval')
    .description('evaluate a model on a test set and print one JSON line');
  const tr = decodingFlags(ev.command('translate'))
    .requiredOption('--model <name|dir>', 'translation model name or directory')
    .requiredOption('--test <file.tsv>', 'source<TAB>reference lines')
    .option('--beam <n>', `beam width, 1..${MAX_BEAM}`, beamFlag, 1)
    .option(
      '--limit <n>',
      `evaluate the first N lines only (1..${MAX_LIMIT})`,
      intFlag('--limit', 1, MAX_LIMIT),
    )
    .option(
      '--apertium',
      "also score Apertium on the same lines, side by side, in the model's language pair (eng-spa for es; null where that pair is not installed)",
    )
    .option(
      '--copy <classes>',
      "names copied as written: none, all, or a comma list of url,email,path,file,identifier,acronym,unseen (unseen: words absent from the model's training sources; default: the pipeline default)",
      copyFlag,
    )
    .option(
      '--length-penalty <alpha>',
      `beam search's GNMT length penalty α, 0..${MAX_LENGTH_PENALTY} (0: none; higher favours longer outputs; default: the model's own, else the translators' TRANSLATE_LENGTH_PENALTY)`,
      numberFlag('--length-penalty', { min: 0, max: MAX_LENGTH_PENALTY }),
    )
    .option(
      '--typos <rate>',
      'robustness check: that share of the sources (0..1) gets one typo in one word of 4+ letters (swap, deletion or insertion; seeded, seed 1) before translating; the references stay',
      numberFlag('--typos', { min: 0, max: 1 }),
    )
    .option(
      '--against <name|dir>',
      'a baseline translator (the same model too): decoded the same way on the same lines, with paired bootstrap resampling of the BLEU difference (1,000 resamples, seed 12345)',
    )
    .option(
      '--against-beam <n>',
      `the baseline's beam width, 1..${MAX_BEAM} (default: --beam); only with --against`,
      intFlag('--against-beam', 1, MAX_BEAM),
    )
    .option(
      '--against-length-penalty <alpha>',
      `the baseline's length penalty α, 0..${MAX_LENGTH_PENALTY} (default: --length-penalty, else the baseline's own); only with --against`,
      numberFlag('--against-length-penalty', { min: 0, max: MAX_LENGTH_PENALTY }),
    )
    .option(
      '--against-copy <classes>',
      "the baseline's copied names, as --copy (default: --copy's); only with --against",
      copyFlag,
    )
    .option(
      '--outputs <file.jsonl>',
      "also write every line decoded, one JSON object per line: source, reference, hypothesis, its sentence chrF, and the baseline's and Apertium's where asked (a new file: an existing one is never overwritten)",
    )
    .option('--json', 'print one JSON line (default)')
    .action(
      async (o: {
        model: string;
        outputs?: string;
        against?: string;
        againstBeam?: number;
        againstLengthPenalty?: number;
        againstCopy?: CopyClass[];
        typos?: number;
        lengthPenalty?: number;
        test: string;
        beam: number;
        copy?: CopyClass[];
        limit?: number;
        apertium?: boolean;
        int8Head: boolean;
        hostDecoding: boolean;
        quiet?: boolean;
      }) => {
        const { initBackend } = await import('@seqlab/rnn');
        const { streamTsvFile } = await import('@seqlab/data/node');
        const { addTypo, corpusBleu, corpusChrf, makeRng, pairedBootstrap } = await import(
          '@seqlab/text'
        );
        if (o.against === undefined)
          for (const [flag, v] of [
            ['--against-beam', o.againstBeam],
            ['--against-length-penalty', o.againstLengthPenalty],
            ['--against-copy', o.againstCopy?.join(',')],
          ] as const)
            if (v !== undefined)
              throw new UsageError(
                `${flag} ${v} sets how the baseline decodes, and there is none; pass --against <name|dir> (the same model to compare two decodings of it)`,
              );
        // Checked before any decoding, so a taken name costs nothing; written with 'wx' at the end.
        if (o.outputs !== undefined) checkNewFile('--outputs', o.outputs);
        await initBackend();
        // Streamed up to --limit: the lines after it are never read (nor checked).
        const pairs: { source: string; target: string }[] = [];
        const limit = o.limit ?? Number.POSITIVE_INFINITY;
        if (limit > 0)
          for await (const p of streamTsvFile(o.test)) if (pairs.push(p) >= limit) break;
        if (pairs.length === 0) throw new Error(`${o.test}: no source<TAB>reference lines`);
        if (o.typos !== undefined) {
          const random = makeRng(1);
          for (const p of pairs) p.source = addTypo(p.source, o.typos, random);
        }
        const m = await loadModel(o);
        try {
          if (m.task !== 'translate')
            throw new UsageError(
              `--model ${o.model} is a ${m.task} model; expected a translate model for eval translate`,
            );
          const decodeOptions = (
            beam: number,
            lengthPenalty: number | undefined,
            copy: CopyClass[] | undefined = o.copy,
          ) => ({
            beam,
            ...(copy ? { copy } : {}),
            ...(lengthPenalty !== undefined ? { lengthPenalty } : {}),
          });
          const decode = async (
            t: typeof m & { task: 'translate' },
            what: string,
            opts: ReturnType<typeof decodeOptions>,
          ) => {
            const out: string[] = [];
            const bar = progress(what, { quiet: o.quiet === true });
            bar.update(0, pairs.length);
            const t0 = performance.now();
            for (const p of pairs) {
              out.push((await t.translate(p.source, opts)).text);
              bar.update(out.length, pairs.length);
            }
            bar.stop();
            return { out, ms: (performance.now() - t0) / pairs.length };
          };
          const { out: hyps, ms } = await decode(m, 'eval', decodeOptions(o.beam, o.lengthPenalty));
          const refs = [pairs.map((p) => p.target)];
          const result: Record<string, unknown> = {
            model: o.model,
            test: o.test,
            beam: o.beam,
            copy: o.copy ?? 'default',
            ...(o.typos !== undefined ? { typos: o.typos } : {}),
            // The α beam search used: the flag's, else the model's own default.
            length_penalty: o.lengthPenalty ?? m.lengthPenalty,
            int8_head: o.int8Head,
            host_decoding: o.hostDecoding,
            n: pairs.length,
            bleu: round(corpusBleu(hyps, refs).score),
            chrf: round(corpusChrf(hyps, refs)),
            ms_per_sentence: round(ms),
          };
          let a: string[] | null = null;
          let base: string[] | null = null;
          if (o.apertium) {
            // The model's own pair: scoring another language's output would invent a baseline.
            const mode = apertiumMode(m.languages.target);
            a = apertium(
              pairs.map((p) => p.source),
              mode,
            );
            result.apertium_mode = mode;
            if (!a)
              process.stderr.write(
                `apertium: no ${mode} mode here (\`apertium -l\` does not list it); "apertium" is null\n`,
              );
            result.apertium = a
              ? { bleu: round(corpusBleu(a, refs).score), chrf: round(corpusChrf(a, refs)) }
              : null;
          }
          if (o.against !== undefined) {
            const b = await loadModel({ ...o, model: o.against });
            try {
              if (b.task !== 'translate')
                throw new UsageError(
                  `--against ${o.against} is a ${b.task} model; expected a translate model to compare with`,
                );
              if (b.languages.target !== m.languages.target)
                throw new UsageError(
                  `--against ${o.against} translates into ${b.languages.target}, --model ${o.model} into ${m.languages.target}; expected the same language pair`,
                );
              const beam = o.againstBeam ?? o.beam;
              const lengthPenalty = o.againstLengthPenalty ?? o.lengthPenalty;
              const copy = o.againstCopy ?? o.copy;
              base = (await decode(b, 'against', decodeOptions(beam, lengthPenalty, copy))).out;
              const bs = pairedBootstrap(base, hyps, refs);
              result.against = {
                model: o.against,
                beam,
                length_penalty: lengthPenalty ?? b.lengthPenalty,
                copy: copy ?? 'default',
                bleu: round(bs.bleuA),
                chrf: round(corpusChrf(base, refs)),
              };
              result.paired_bootstrap = {
                delta: round(bs.delta),
                ci95: bs.ci95.map((x) => round(x)),
                p_value: round(bs.pValue, 4),
                samples: bs.samples,
                seed: bs.seed,
              };
            } finally {
              b.dispose();
            }
          }
          if (o.outputs !== undefined) {
            const lines = pairs.map((p, i) => {
              const hypothesis = hyps[i] as string;
              const line: Record<string, unknown> = {
                line: i + 1,
                source: p.source,
                reference: p.target,
                hypothesis,
                chrf: round(corpusChrf([hypothesis], [[p.target]])),
              };
              if (base) line.against = base[i];
              if (a) line.apertium = a[i];
              return JSON.stringify(line);
            });
            writeFileSync(o.outputs, `${lines.join('\n')}\n`, { flag: 'wx' });
            result.outputs = o.outputs;
          }
          process.stdout.write(`${JSON.stringify(result)}\n`);
        } finally {
          m.dispose();
        }
      },
    );
  quietOption(tr);
  examples(tr, [
    'pnpm seqlab eval translate --model translate-en-es --test data-cache/gettext/en-es/test.tsv --limit 200',
    'pnpm seqlab eval translate --model translate-en-es --test data-cache/gettext/en-es/test.tsv --beam 4 --apertium',
    'pnpm seqlab eval translate --model translate-en-es --test data-cache/gettext/en-es/test-apps.tsv --beam 4 --apertium --outputs runs/test-apps-es.jsonl',
    'pnpm seqlab eval translate --model runs/translate-en-es-bpedrop/model --against translate-en-es --test data-cache/gettext/en-es/dev-apps.tsv',
    'pnpm seqlab eval translate --model translate-en-es --against translate-en-es --against-length-penalty 0.6 --test data-cache/gettext/en-es/dev-apps.tsv --beam 4',
  ]);
  const cap = decodingFlags(ev.command('caption'))
    .requiredOption('--model <name|dir>', 'caption model name or directory')
    .requiredOption('--data <dir>', 'folder with images and captions.tsv')
    .option('--beam <n>', `beam width, 1..${MAX_BEAM}`, beamFlag, 1)
    .option('--closed', 'closed-set decoding: only captions seen in training')
    .option('--json', 'print one JSON line (default)')
    .action(
      async (o: {
        model: string;
        data: string;
        beam: number;
        closed?: boolean;
        int8Head: boolean;
        hostDecoding: boolean;
        quiet?: boolean;
      }) => {
        const { initBackend } = await import('@seqlab/rnn');
        const { loadCaptionFolders } = await import('@seqlab/data/node');
        const { corpusBleu } = await import('@seqlab/text');
        await initBackend();
        // Folders load at 64 px; the pipeline resizes each image to the model's imageSize.
        // The data is read first: a bad captions.tsv or image fails before the model loads.
        const size = 64;
        const { items } = await loadCaptionFolders([o.data], size);
        const m = await loadModel(o);
        try {
          if (m.task !== 'caption')
            throw new UsageError(
              `--model ${o.model} is a ${m.task} model; expected a caption model for eval caption`,
            );
          const hyps: string[] = [];
          const bar = progress('eval', { quiet: o.quiet === true });
          bar.update(0, items.length);
          const t0 = performance.now();
          for (const it of items) {
            hyps.push(
              (
                await m.caption(
                  { width: size, height: size, data: it.rgba },
                  { beam: o.beam, closed: o.closed === true },
                )
              ).text,
            );
            bar.update(hyps.length, items.length);
          }
          const ms = (performance.now() - t0) / items.length;
          bar.stop();
          const exact = hyps.filter((h, i) => items[i]?.captions.includes(h)).length / items.length;
          const maxRefs = Math.max(...items.map((it) => it.captions.length));
          const streams = Array.from({ length: maxRefs }, (_, r) =>
            items.map((it) => it.captions[r] ?? it.captions[0] ?? ''),
          );
          process.stdout.write(
            `${JSON.stringify({ model: o.model, data: o.data, beam: o.beam, closed: o.closed === true, int8_head: o.int8Head, host_decoding: o.hostDecoding, n: items.length, bleu4: round(corpusBleu(hyps, streams).score), exact: round(exact, 4), ms_per_image: round(ms) })}\n`,
          );
        } finally {
          m.dispose();
        }
      },
    );
  quietOption(cap);
  examples(cap, [
    'pnpm seqlab data shapes --out data-cache/shapes-test --count 1000 --seed 1 --split test',
    'pnpm seqlab eval caption --model caption-shapes --data data-cache/shapes-test --beam 3',
  ]);
}

/** load() with a progress bar while the files are read. */
async function loadModel(o: {
  model: string;
  int8Head: boolean;
  hostDecoding: boolean;
  quiet?: boolean;
}) {
  const { load } = await import('@seqlab/models/node');
  const bar = loadingBar(o.model, o.quiet);
  return load(o.model, {
    int8Head: o.int8Head,
    hostDecoding: o.hostDecoding,
    onProgress: bar.onProgress,
  }).finally(() => bar.stop());
}

/** The decoding switches both evaluations take (see LoadOptions.int8Head and hostDecoding). */
function decodingFlags(cmd: Command): Command {
  return cmd
    .option('--no-int8-head', 'decode with the float32 output layer (default: the int8 head)')
    .option('--no-host-decoding', 'decode with tensor ops per step (default: host SIMD kernels)');
}

/** Refuses a path that exists or whose folder does not: nothing is overwritten, nothing decoded in vain. */
function checkNewFile(flag: string, file: string): void {
  if (existsSync(file))
    throw new UsageError(
      `${flag} ${file} exists; expected a new file (an existing one is never overwritten): remove it or name another`,
    );
  const dir = path.dirname(path.resolve(file));
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(
      `${flag} ${file}: its folder ${dir} does not exist; expected a path in an existing folder`,
    );
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

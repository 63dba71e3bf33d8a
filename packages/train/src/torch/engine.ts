// `seqlab train translate --engine torch --procs N`: BPE-encodes the corpus into streamable ids files, then trains with PyTorch DDP (python/seqlab_torch) under torchrun.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import {
  BpeTokenizer,
  collectSourceWords,
  protect,
  protectWith,
  trainTranslationTokenizers,
} from '@seqlab/text';
import { fromRepo, REPO_ROOT, readConfig } from '../config-file';
import { TRANSLATE_CONFIG } from '../config-schema';
import { useInitTokenizer } from '../init-weights';
import { ensureCorpus } from '../tasks/corpus';

/** The fields of a translation config (configs/translate-*.json) this engine reads; the Python trainer reads the rest. */
interface TorchTranslateConfig {
  name: string;
  target: string;
  corpus: string;
  runDir: string;
  out: string;
  vocabSize: number;
  maxTokens: number;
  /** Optional seqlab model folder to start from (fine-tuning); its tokenizer.json is used for the corpus. */
  init?: string;
  /** Refused here: BPE-dropout needs segmentations resampled every epoch. */
  bpeDropout?: number;
}

export interface TorchRunOptions {
  /** Processes torchrun starts on this machine (CPU: gloo; GPUs: NCCL, one per GPU). */
  procs: number;
  resume?: boolean;
  /** A new run over runDir's checkpoint and tokenizer (checked by the CLI, see checkRunDir). */
  overwrite?: boolean;
  maxSteps?: number;
  minutes?: number;
  lr?: number;
}

/** BPE training reads at most this many pairs (all of them for corpora up to this size, as the tfjs trainer). */
const TOKENIZER_PAIRS = 2_000_000;
/** Python with torch: Debian's python3-torch lives in /usr/bin/python3 (a pyenv or venv python3 on PATH may lack it). */
const PYTHON = process.env.SEQLAB_PYTHON ?? '/usr/bin/python3';

/** Stream a `source<TAB>target` TSV pair by pair (never the whole corpus in one string). */
async function* tsvPairs(file: string): AsyncGenerator<{ source: string; target: string }> {
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let n = 0;
  for await (const raw of lines) {
    n++;
    const line = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    const cols = line.split('\t');
    if (cols.length < 2)
      throw new Error(
        `${file}:${n}: expected 'source<TAB>target', got ${JSON.stringify(line.slice(0, 80))}`,
      );
    yield { source: cols[0] as string, target: cols[1] as string };
  }
}

/** Write lines to `file` atomically (temp file + rename), buffering so memory stays flat. */
class IdsWriter {
  private readonly tmp: string;
  private readonly fd: number;
  private buf: string[] = [];
  count = 0;

  constructor(private readonly file: string) {
    this.tmp = `${file}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
  }

  add(src: readonly number[], tgt: readonly number[]): void {
    this.buf.push(`${src.join(' ')}\t${tgt.join(' ')}\n`);
    this.count++;
    if (this.buf.length >= 10_000) this.flush();
  }

  private flush(): void {
    writeSync(this.fd, this.buf.join(''));
    this.buf = [];
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmp, this.file);
  }
}

function fileStamp(file: string): string {
  const s = statSync(file);
  return `${s.size}:${s.mtimeMs}`;
}

/**
 * Tokenizer (runDir/tokenizer.json, shared with the tfjs trainer so either engine reuses it) and
 * the ids files the Python side streams: runDir/torch-data/{train,valid,test}.ids + prep.json.
 * Re-encodes only when the tokenizer or a TSV changed.
 */
export async function prepareTorchData(
  cfg: TorchTranslateConfig,
  opts: { overwrite?: boolean } = {},
): Promise<string> {
  const corpus = fromRepo(cfg.corpus);
  const langDir = await ensureCorpus(corpus, cfg.target);
  const runDir = fromRepo(cfg.runDir);
  const dataDir = path.join(runDir, 'torch-data');
  mkdirSync(dataDir, { recursive: true });
  const tokFile = path.join(runDir, 'tokenizer.json');
  // A new run (--overwrite) may have another vocabSize or init: the old tokenizer goes with it.
  if (opts.overwrite) rmSync(tokFile, { force: true });
  // Fine-tuning keeps the model's vocabulary: its tokenizer encodes the corpus. A run dir holding
  // another tokenizer is refused (the kernels and tfjs engines do the same).
  if (cfg.init) useInitTokenizer(fromRepo(cfg.init), tokFile);
  if (!existsSync(tokFile)) {
    const t0 = Date.now();
    const pairs: [string, string][] = [];
    for await (const p of tsvPairs(path.join(langDir, 'train.tsv'))) {
      if (pairs.length >= TOKENIZER_PAIRS) break;
      pairs.push([p.source, p.target]);
    }
    const tok = trainTranslationTokenizers(pairs, { joint: true, vocabSize: cfg.vocabSize }).source;
    writeFileSync(tokFile, JSON.stringify({ joint: true, source: tok.toJSON() }));
    process.stderr.write(
      `tokenizer: ${tok.vocabSize} pieces from ${pairs.length} pairs in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
    );
  }
  const tokText = readFileSync(tokFile, 'utf8');
  const stamp = {
    tokenizer: createHash('sha256').update(tokText).digest('hex'),
    // The folder's tokenizer.json carries the training sources' words (the `unseen` copy class).
    sourceWords: 1,
    maxTokens: cfg.maxTokens,
    tsv: Object.fromEntries(
      ['train', 'valid', 'test'].map((s) => [s, fileStamp(path.join(langDir, `${s}.tsv`))]),
    ),
  };
  const prepFile = path.join(dataDir, 'prep.json');
  if (existsSync(prepFile)) {
    const old = JSON.parse(readFileSync(prepFile, 'utf8')) as { stamp?: unknown };
    if (JSON.stringify(old.stamp) === JSON.stringify(stamp)) return dataDir;
  }
  const tok = BpeTokenizer.fromJSON((JSON.parse(tokText) as { source: unknown }).source);
  // The training sources' words, collected as the corpus streams by (not its lines).
  const words = new Set<string>();
  const counts: Record<string, { kept: number; total: number }> = {};
  for (const split of ['train', 'valid', 'test']) {
    const t0 = Date.now();
    const w = new IdsWriter(path.join(dataDir, `${split}.ids`));
    let total = 0;
    // Exactly encodePairs of the tfjs trainer: placeholders protected on both sides, EOS on both.
    for await (const { source, target } of tsvPairs(path.join(langDir, `${split}.tsv`))) {
      total++;
      if (split === 'train') collectSourceWords(source, words);
      const p = protect(source);
      const src = tok.encode(p.text, { eos: true });
      const tgt = tok.encode(protectWith(target, p.placeholders).text, { eos: true });
      // Only training drops long pairs; valid and test keep every pair, in corpus order.
      if (split !== 'train' || (src.length <= cfg.maxTokens && tgt.length <= cfg.maxTokens))
        w.add(src, tgt);
    }
    w.close();
    counts[split] = { kept: w.count, total };
    if (split === 'train')
      writeFileSync(
        path.join(dataDir, 'tokenizer.json'),
        JSON.stringify({ ...JSON.parse(tokText), sourceWords: [...words].sort() }),
      );
    process.stderr.write(
      `${split}: ${w.count}/${total} pairs encoded in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
    );
  }
  let packages = '?';
  try {
    const m = JSON.parse(readFileSync(path.join(corpus, 'manifest.json'), 'utf8')) as {
      packages?: unknown[];
    };
    packages = String(m.packages?.length ?? '?');
  } catch {
    // a corpus without a manifest (hand-made TSVs) is fine; the card then says '?' packages
  }
  const prep = {
    srcVocab: tok.vocabSize,
    tgtVocab: tok.vocabSize,
    data: `Debian gettext catalogs (${packages} packages), ${counts.train?.kept} training pairs`,
    pairs: counts,
    stamp,
  };
  writeFileSync(prepFile, JSON.stringify(prep, null, 2));
  return dataDir;
}

/** Train a translation config with PyTorch DDP: `torchrun --nproc_per_node N -m seqlab_torch.train`. */
export async function trainTorch(configFile: string, opts: TorchRunOptions): Promise<void> {
  if (!Number.isInteger(opts.procs) || opts.procs < 1 || opts.procs > 64)
    throw new Error(
      `--procs expects an integer in 1..64 (processes on this machine), got ${opts.procs}`,
    );
  const cfg: TorchTranslateConfig = readConfig(configFile, TRANSLATE_CONFIG);
  // The torch engine encodes the corpus once (prepareTorchData): it cannot resample segmentations.
  if ((cfg.bpeDropout ?? 0) > 0)
    throw new Error(
      `config ${configFile}: bpeDropout ${cfg.bpeDropout} needs a trainer that resamples segmentations every epoch; the torch engine encodes the corpus once. Use --engine kernels or tfjs, or set bpeDropout to 0`,
    );
  const check = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (check.status !== 0) {
    throw new Error(
      `--engine torch: ${PYTHON} cannot import torch and numpy (${(check.stderr || String(check.error)).trim().split('\n').pop()}); ` +
        'install them with `bash scripts/setup.sh --torch`, or point SEQLAB_PYTHON at a Python that has them',
    );
  }
  for (const k of ['name', 'target', 'corpus', 'runDir', 'out'] as const) {
    if (typeof cfg[k] !== 'string')
      throw new Error(
        `config ${configFile}: '${k}' must be a string (see configs/translate-en-es.json), got ${JSON.stringify(cfg[k])}`,
      );
  }
  const dataDir = await prepareTorchData(cfg, { overwrite: opts.overwrite ?? false });
  const command = [
    'pnpm seqlab train translate',
    `--config ${configFile}`,
    '--engine torch',
    `--procs ${opts.procs}`,
    ...(opts.resume ? ['--resume'] : []),
    ...(opts.maxSteps ? [`--max-steps ${opts.maxSteps}`] : []),
    ...(opts.minutes ? [`--minutes ${opts.minutes}`] : []),
    ...(opts.lr ? [`--lr ${opts.lr}`] : []),
  ].join(' ');
  const args = [
    // seqlab_torch.launch is torchrun with a fix for Debian's torch 1.13 on Python 3.11 (see launch.py).
    '-m',
    'seqlab_torch.launch',
    '--standalone',
    `--nproc_per_node=${opts.procs}`,
    '-m',
    'seqlab_torch.train',
    '--config',
    path.resolve(configFile),
    '--data',
    dataDir,
    '--run-dir',
    fromRepo(cfg.runDir),
    '--out',
    fromRepo(cfg.out),
    '--command',
    command,
    ...(cfg.init ? ['--init', fromRepo(cfg.init)] : []),
    ...(opts.resume ? ['--resume'] : []),
    ...(opts.maxSteps ? ['--max-steps', String(opts.maxSteps)] : []),
    ...(opts.minutes ? ['--minutes', String(opts.minutes)] : []),
    ...(opts.lr ? ['--lr', String(opts.lr)] : []),
  ];
  const pyPath = path.join(REPO_ROOT, 'python', 'seqlab_torch');
  const env = {
    ...process.env,
    PYTHONPATH: process.env.PYTHONPATH
      ? `${pyPath}${path.delimiter}${process.env.PYTHONPATH}`
      : pyPath,
  };
  const shown = args.map((a) => (/^[\w./=:-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`));
  process.stderr.write(`torch engine: ${PYTHON} ${shown.join(' ')}\n`);
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(PYTHON, args, { cwd: REPO_ROOT, env, stdio: 'inherit' });
    child.on('error', (e) =>
      reject(new Error(`--engine torch: cannot start ${PYTHON} (${e.message})`)),
    );
    child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
  });
  if (code !== 0)
    throw new Error(`--engine torch: torchrun exited with status ${code} (its log is above)`);
  process.stderr.write(`saved ${fromRepo(cfg.out)}\n`);
}

// Writes a model's card.md: what it is, the data, the exact command, the config and the measured metrics.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './config-file';

export interface CardInfo {
  name: string;
  title: string;
  configFile: string;
  config: object;
  modelConfig: object;
  metrics: Record<string, number>;
  trainSeconds: number;
  backend: string;
  /** Which trainer ran the steps (tfjs trainStep, the kernels' KernelTrainStep, …); default: tfjs on `backend`. */
  trainer?: string;
  /** Flags the training command needs besides --config and --max-steps (e.g. `--engine kernels --threads 2`). */
  commandFlags?: string;
  history: { step: number; bleu: number }[];
  data: string[];
  notes?: string[];
  /** Commands to run before this one (e.g. training the model a fine-tune starts from). */
  before?: string[];
}

export function writeCard(out: string, info: CardInfo): void {
  const bytes = readdirSync(out).reduce(
    (n, f) => n + (f.endsWith('.bin') || f === 'model.json' ? statSync(path.join(out, f)).size : 0),
    0,
  );
  const cfgRel = path.relative(REPO_ROOT, path.resolve(info.configFile));
  const lines = [
    `# ${info.name} — ${info.title}`,
    '',
    ...info.data.map((d) => `- ${d}`),
    '',
    '## Reproduce',
    '',
    '```',
    ...(info.before?.length ? ['bash scripts/setup.sh', ...info.before] : []),
    `${info.before?.length ? '' : 'bash scripts/setup.sh && '}pnpm seqlab train ${info.name.split('-')[0]} --config ${cfgRel}${info.commandFlags ? ` ${info.commandFlags}` : ''} --max-steps ${info.metrics.steps ?? ''}`.trim(),
    '```',
    '',
    `Trained on this repository's code, backend \`${info.backend}\`${info.trainer ? `, trainer: ${info.trainer}` : ''} in Node, 2 CPU cores, in ${(info.trainSeconds / 60).toFixed(1)} min${info.before?.length ? ' (the last command; the base model took its own time)' : ''}. Seeded: the same command gives the same weights on the same backend.`,
    '',
    '## Metrics (held-out test split)',
    '',
    '| metric | value |',
    '| --- | --- |',
    ...Object.entries(info.metrics).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    `Weights on disk: ${(bytes / 1e6).toFixed(2)} MB (model.json + shards).`,
    '',
    ...(info.history.length
      ? [
          '## Validation during training',
          '',
          '| step | metric |',
          '| --- | --- |',
          ...info.history.map((h) => `| ${h.step} | ${h.bleu.toFixed(2)} |`),
          '',
        ]
      : []),
    ...(info.notes?.length ? ['## Notes', '', ...info.notes.map((n) => `- ${n}`), ''] : []),
    '## Config',
    '',
    '```json',
    JSON.stringify({ train: info.config, model: info.modelConfig }, null, 2),
    '```',
    '',
  ];
  writeFileSync(path.join(out, 'card.md'), lines.join('\n'));
}

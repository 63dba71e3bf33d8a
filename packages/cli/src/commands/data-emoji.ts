// `seqlab data emoji`: writes the Google/Twitter/OpenMoji emoji sets with CLDR captions and a licence manifest.

import { buildEmojiSets, EMOJI_STYLES, type EmojiStyle } from '@seqlab/data/node';
import type { Command } from 'commander';
import { intFlag, UsageError } from '../args';
import { examples } from '../help';
import { progress, quietOption } from '../progress';
import { dataCommand } from './data-shapes';

export function register(program: Command): void {
  const cmd = dataCommand(program)
    .command('emoji')
    .description(
      'Build 64 px emoji image sets (google, twitter = train; openmoji = unseen-style test) with captions.tsv',
    )
    .requiredOption(
      '--out <dir>',
      'output directory (keep it under data-cache/; never commit the images)',
    )
    .option(
      '--styles <list>',
      `comma-separated subset of ${EMOJI_STYLES.join(',')}`,
      EMOJI_STYLES.join(','),
    )
    .option(
      '--limit <n>',
      'only the first N emoji (preview), 1..100000',
      intFlag('--limit', 1, 100_000),
    );
  quietOption(cmd);
  examples(cmd, [
    'pnpm seqlab data emoji --out data-cache/emoji',
    'pnpm seqlab data emoji --out data-cache/emoji-preview --styles google --limit 50',
  ]);
  cmd.action(async (opts: { out: string; styles: string; limit?: number; quiet?: boolean }) => {
    const styles = opts.styles.split(',').map((s) => s.trim()) as EmojiStyle[];
    const bad = styles.filter((s) => !(EMOJI_STYLES as readonly string[]).includes(s));
    if (bad.length > 0)
      throw new UsageError(
        `--styles: expected a comma-separated subset of ${EMOJI_STYLES.join(',')}; got '${opts.styles}'`,
      );
    const limit = opts.limit;
    const t0 = Date.now();
    const bar = progress('emoji', { quiet: opts.quiet === true });
    let current: EmojiStyle | undefined;
    const m = await buildEmojiSets({
      out: opts.out,
      styles,
      ...(limit ? { limit } : {}),
      onProgress: (style, done, total) => {
        // One bar per style: its count and ETA start again at the next style.
        if (style !== current) bar.stop();
        current = style;
        bar.update(done, total, style);
      },
    }).finally(() => bar.stop());
    for (const s of styles)
      process.stdout.write(`${s}: ${m.counts[s]} images (${m.missing[s]} missing in this style)\n`);
    process.stdout.write(`caption sources: ${JSON.stringify(m.captionSources)}\n`);
    process.stdout.write(
      `wrote ${opts.out}/manifest.json in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
    );
  });
}

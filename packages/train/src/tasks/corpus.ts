// The translation corpus a training run reads: built from the Debian packages when it is missing.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { buildGettextCorpus } from '@seqlab/data/node';

/**
 * The folder `corpus/en-<target>` holding train/valid/test.tsv; builds the whole corpus first
 * (`seqlab data gettext`, progress on stderr) when its train.tsv is missing.
 * @example const langDir = await ensureCorpus('/repo/data-cache/gettext', 'es');
 */
export async function ensureCorpus(corpus: string, target: string): Promise<string> {
  const langDir = path.join(corpus, `en-${target}`);
  if (!existsSync(path.join(langDir, 'train.tsv'))) {
    process.stderr.write(
      `corpus ${langDir} missing: building it from the Debian packages (seqlab data gettext)\n`,
    );
    await buildGettextCorpus({
      out: corpus,
      onProgress: (p) => process.stderr.write(`[${p.done}/${p.total}] ${p.pkg}\n`),
    });
  }
  return langDir;
}

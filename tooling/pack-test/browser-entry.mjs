// A browser app's entry: bundled with esbuild (platform browser) from the installed packages.
import { load } from '@seqlab/models';
import { initBackend } from '@seqlab/rnn';
import { corpusChrf } from '@seqlab/text';

/** @param {string} url a model folder URL */
export async function run(url) {
  await initBackend('cpu');
  const t = await load(url);
  if (t.task !== 'translate') throw new Error(`expected a translator, got ${t.task}`);
  const r = await t.translate('Open file');
  t.dispose();
  return { text: r.text, chrf: corpusChrf([r.text], [[r.text]]) };
}

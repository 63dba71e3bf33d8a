// What a user of the published packages writes: imports by package name only. The pack test runs
// it twice — in a project outside the workspace against the installed tarballs, and in the
// workspace against the sources — and compares the JSON it prints.
// Usage: node consumer.mjs <models dir>
import path from 'node:path';
import { generateScene } from '@seqlab/data';
import { load } from '@seqlab/models/node';
import { initBackend } from '@seqlab/rnn';
import { corpusBleu } from '@seqlab/text';

const modelsDir = process.argv[2];
if (!modelsDir) throw new Error('usage: node consumer.mjs <models dir>');

const backend = await initBackend();
const translator = await load(path.join(modelsDir, 'translate-en-es'));
if (translator.task !== 'translate')
  throw new Error(`expected a translator, got ${translator.task}`);
const sentences = ['Open file', 'Save the document as %s', 'Print the selected pages'];
const translations = [];
for (const s of sentences) translations.push((await translator.translate(s, { beam: 4 })).text);
translator.dispose();

const captioner = await load(path.join(modelsDir, 'caption-shapes'));
if (captioner.task !== 'caption') throw new Error(`expected a captioner, got ${captioner.task}`);
const captions = [];
for (let index = 0; index < 3; index++) {
  const scene = generateScene({ seed: 7, split: 'test', index });
  const c = await captioner.caption({ data: scene.data, width: scene.width, height: scene.height });
  captions.push({ caption: c.text, reference: scene.captions });
}
captioner.dispose();

// A second package's API through the same install: BLEU of the output against itself is 100.
const selfBleu = corpusBleu(translations, [translations]).score;
console.log(JSON.stringify({ backend, translations, captions, selfBleu }));

// The files of a shipped model folder, read from its model.json (Node-only test helper): the
// weight file names carry a hash of the weights, so they change whenever the model is retrained.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The weight files model.json lists, in order. */
export function shippedShards(modelsDir: string, name: string): string[] {
  const json = JSON.parse(readFileSync(join(modelsDir, name, 'model.json'), 'utf8')) as {
    weightsManifest: { paths: string[] }[];
  };
  return json.weightsManifest.flatMap((g) => g.paths);
}

/** Every file of a translator folder: card, weights, model.json, tokenizer, sorted. */
export function shippedTranslatorFiles(modelsDir: string, name: string): string[] {
  return ['card.md', ...shippedShards(modelsDir, name), 'model.json', 'tokenizer.json'].sort();
}

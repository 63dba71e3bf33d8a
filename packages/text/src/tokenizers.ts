// Source/target tokenizer pair for translation: one joint BPE or two separate ones.
import { type BpeOptions, BpeTokenizer } from './bpe';
import { protect, protectWith } from './placeholders';

/** Options of trainTranslationTokenizers. */
export interface TranslationTokenizerOptions extends Partial<BpeOptions> {
  /**
   * One vocabulary for both sides (default true). Joint suits UI strings: identifiers, product
   * names and placeholders are copied through, and a shared vocab lets the model tie embeddings.
   * Used sizes: joint 8000; separate 8000 per side.
   */
  joint?: boolean;
}

/** The tokenizers of a translation model; `source === target` when joint. */
export interface TranslationTokenizers {
  source: BpeTokenizer;
  target: BpeTokenizer;
  joint: boolean;
}

/**
 * Train tokenizers on (source, target) pairs, protecting placeholders first (target numbered like
 * its source) so ⟨phN⟩ tokens stay atomic.
 * @example
 * const { source, target } = trainTranslationTokenizers([['Open %s', 'Abrir %s']], { vocabSize: 400 });
 */
export function trainTranslationTokenizers(
  pairs: Iterable<readonly [string, string]>,
  opts: TranslationTokenizerOptions = {},
): TranslationTokenizers {
  const { joint = true, ...bpe } = opts;
  const src: string[] = [];
  const tgt: string[] = [];
  for (const [s, t] of pairs) {
    const p = protect(s);
    src.push(p.text);
    tgt.push(protectWith(t, p.placeholders).text);
  }
  if (joint) {
    const tok = BpeTokenizer.train([...src, ...tgt], bpe);
    return { source: tok, target: tok, joint };
  }
  return { source: BpeTokenizer.train(src, bpe), target: BpeTokenizer.train(tgt, bpe), joint };
}

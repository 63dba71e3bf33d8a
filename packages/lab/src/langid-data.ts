// Language-ID examples from translation pairs: the English side and each target side, labelled.
/** The languages the language-ID model tells apart, in class-id order. */
export const LANGID_LABELS = ['en', 'es', 'fr', 'de'] as const;
export type LangIdLabel = (typeof LANGID_LABELS)[number];

/** One labelled string. */
export interface LangIdExample {
  text: string;
  label: number;
}

const LETTERS = /\p{L}/gu;

/**
 * Turns sentence pairs (English, target) into labelled strings. A translation identical to its
 * English source is dropped (it is no evidence of either language), as are strings with fewer
 * than `minLetters` letters and repeats. English strings are taken once even when several pairs
 * share them.
 * @example langIdExamples({ es: [['Open file', 'Abrir archivo']] }); // [{text:'Open file',label:0},{text:'Abrir archivo',label:1}]
 */
export function langIdExamples(
  pairs: Partial<Record<Exclude<LangIdLabel, 'en'>, readonly (readonly [string, string])[]>>,
  opts: { minLetters?: number } = {},
): LangIdExample[] {
  const minLetters = opts.minLetters ?? 3;
  const seen = new Set<string>();
  const out: LangIdExample[] = [];
  const add = (text: string, label: number) => {
    const t = text.trim();
    if ((t.match(LETTERS)?.length ?? 0) < minLetters) return;
    const key = `${label}\t${t}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ text: t, label });
  };
  for (const [lang, rows] of Object.entries(pairs)) {
    const label = LANGID_LABELS.indexOf(lang as LangIdLabel);
    if (label < 1)
      throw new Error(`langIdExamples: unknown target language '${lang}'; valid: es, fr, de`);
    for (const [en, tgt] of rows ?? []) {
      if (en.trim() === tgt.trim()) continue;
      add(en, 0);
      add(tgt, label);
    }
  }
  return out;
}

/** Words of a string worth classifying on their own: letters only (apostrophes and hyphens inside), at least 2 long. */
export function wordsOf(text: string): string[] {
  return text.match(/\p{L}+(?:['’-]\p{L}+)*/gu)?.filter((w) => w.length >= 2) ?? [];
}

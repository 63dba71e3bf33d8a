// Translator pipeline: placeholders protected, BPE tokenised, seq2seq decoded, restored — text in, text out.
import {
  checkBeam,
  FastDecoder,
  generate,
  type Hypothesis as IdHypothesis,
  loadSeq2Seq,
  type Seq2Seq,
} from '@seqlab/seq2seq';
import {
  BpeTokenizer,
  COPY_CLASSES,
  type CopyClass,
  EOS,
  hasTranslatableText,
  type Protected,
  protectVerbatim,
  restoreVerbatim,
  toWellFormed,
  type VerbatimProtected,
} from '@seqlab/text';
import { makeCard, parseMetadata } from './metadata';
import { type ModelSource, readJson, sourceHandler } from './source';
import type {
  DecodeOptions,
  ModelCard,
  PipelineLoadOptions,
  Translation,
  Translator,
} from './types';

/** Longest source segment fed to the encoder, in tokens; longer text is split into segments. */
export const MAX_SOURCE_TOKENS = 120;
/** Longest accepted input in characters (10× a long paragraph); longer input is an error. */
export const MAX_INPUT_CHARS = 20_000;

/** tokenizer.json of a translation model. */
export interface TokenizerFile {
  joint: boolean;
  source: unknown;
  target?: unknown;
  /**
   * The training sources' words (lowercase, sorted: `sourceWords` of @seqlab/text), for the
   * `unseen` copy class. Written by `seqlab train translate`; older folders have none.
   */
  sourceWords?: string[];
}

/** Lines longer than this many characters are split at sentence ends and re-packed. */
const MAX_SEGMENT_CHARS = 300;

/**
 * A segment's output as a translator writes it: no whitespace around it (segments are trimmed, so
 * a leading space-token is noise), and a capital first letter where the source starts with one (a
 * decoded lowercase start there was wrong on every held-out app string it touched; the rule never
 * lowers a letter, so German nouns and names are safe).
 * @example tidyOutput('Final population', ' población final') // 'Población final'
 */
export function tidyOutput(source: string, output: string): string {
  const t = output.trim();
  const s = source.trimStart().charAt(0);
  const o = t.charAt(0);
  if (s === '' || o === '' || s.toUpperCase() !== s || s.toLowerCase() === s) return t;
  const up = o.toUpperCase();
  // A lowercase letter with a one-letter capital (not ß → SS).
  return o.toLowerCase() === o && up !== o && up.length === 1 ? up + t.slice(1) : t;
}

/**
 * Split text into segments the encoder can take: one per non-empty line; a long line is cut at
 * sentence ends and the sentences re-packed into segments of at most MAX_SEGMENT_CHARS (a
 * sentence longer than that stays whole and is cut into token chunks later).
 */
export function segment(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.replace(/\s+/g, ' ').trim();
    if (t.length === 0) continue;
    if (t.length <= MAX_SEGMENT_CHARS) {
      out.push(t);
      continue;
    }
    let cur = '';
    for (const s of t.split(/(?<=[.!?])\s+/)) {
      if (cur && cur.length + 1 + s.length > MAX_SEGMENT_CHARS) {
        out.push(cur);
        cur = s;
      } else cur = cur ? `${cur} ${s}` : s;
    }
    if (cur) out.push(cur);
  }
  return out;
}

/**
 * The names translators copy by default (see `DecodeOptions.copy`), chosen on the app-held-out
 * dev sets (`pnpm seqlab eval translate --copy …`; the figures are in the README).
 */
export const DEFAULT_COPY: readonly CopyClass[] = ['url', 'path', 'identifier', 'unseen'];

/**
 * Translators' beam-search length penalty α (see `DecodeOptions.lengthPenalty`) where neither the
 * call nor the model (`settings.lengthPenalty` in its model.json, chosen on its app-held-out dev
 * set with `pnpm seqlab eval translate --beam 4 --length-penalty …`) sets one. Captioners keep
 * DECODE_DEFAULTS.lengthPenalty.
 */
export const TRANSLATE_LENGTH_PENALTY = 0.6;

/** The copy classes a call asks for; `unseen` needs the model's word list (dropped from the default without one). */
function checkCopy(copy: unknown, hasWords: boolean): readonly CopyClass[] {
  if (copy === undefined)
    return hasWords ? DEFAULT_COPY : DEFAULT_COPY.filter((c) => c !== 'unseen');
  const valid = `expected an array of ${COPY_CLASSES.join(', ')} (or [] for none)`;
  if (!Array.isArray(copy)) throw new Error(`translate: copy: ${valid}, got ${typeof copy}`);
  for (const c of copy) {
    if (!COPY_CLASSES.includes(c as CopyClass))
      throw new Error(`translate: copy: ${valid}, got ${JSON.stringify(c)}`);
  }
  if (!hasWords && copy.includes('unseen'))
    throw new Error(
      "translate: copy: 'unseen' needs the model's source word list (sourceWords in its tokenizer.json), and this model has none; retrain it, add the list with `seqlab train words`, or leave 'unseen' out",
    );
  return copy as CopyClass[];
}

/** Largest beam-search length penalty α a caller, a model or a config may set. */
export const MAX_LENGTH_PENALTY = 5;

function checkLengthPenalty(a: unknown, who: string): number {
  if (typeof a !== 'number' || !(a >= 0 && a <= MAX_LENGTH_PENALTY))
    throw new Error(
      `${who} must be a number in 0..${MAX_LENGTH_PENALTY} (0: none; higher favours longer outputs), got ${typeof a === 'number' ? String(a) : (JSON.stringify(a) ?? String(a))}`,
    );
  return a;
}

function checkDecode(
  opts: DecodeOptions,
  modelDefault: number,
  hasWords: boolean,
): {
  beam: number;
  nBest: number;
  maxLength: number | undefined;
  copy: readonly CopyClass[];
  lengthPenalty: number;
} {
  const { beam, nBest } = checkBeam(opts, 'translate');
  const lengthPenalty = checkLengthPenalty(
    opts.lengthPenalty ?? modelDefault,
    'translate: lengthPenalty',
  );
  const maxLength = opts.maxLength;
  if (
    maxLength !== undefined &&
    (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 1000)
  ) {
    throw new Error(`translate: maxLength must be an integer in 1..1000, got ${maxLength}`);
  }
  return { beam, nBest, maxLength, copy: checkCopy(opts.copy, hasWords), lengthPenalty };
}

/**
 * A loaded translation model.
 *
 * @example
 * const t = await loadTranslator(httpSource('/models/translate-en-es'));
 * const r = await t.translate('Open the file %s', { beam: 4 });
 * console.log(r.text, r.nBest);
 * t.dispose();
 */
export class TranslatorPipeline implements Translator {
  readonly task = 'translate' as const;
  private disposed = false;
  /** Characters the source tokenizer was trained on; runs of any other are copied, not translated. */
  private readonly known: (ch: string) => boolean;

  constructor(
    readonly card: ModelCard,
    readonly languages: { source: string; target: string },
    private readonly model: Seq2Seq,
    private readonly src: BpeTokenizer,
    private readonly tgt: BpeTokenizer,
    /** The model's copy on seqlab's kernels (owned: disposed with the pipeline), or null for tensors only. */
    private readonly fast: FastDecoder | null = null,
    /** This model's beam-search length penalty α when a call sets none (its `settings.lengthPenalty`). */
    readonly lengthPenalty: number = TRANSLATE_LENGTH_PENALTY,
    /** The training sources' words (lowercase), for the `unseen` copy class; null: none shipped. */
    readonly sourceWords: ReadonlySet<string> | null = null,
  ) {
    checkLengthPenalty(lengthPenalty, 'TranslatorPipeline: lengthPenalty');
    const alphabet = new Set(src.alphabet);
    this.known = (ch) => alphabet.has(ch);
  }

  /** Display form of a token: placeholders shown as the text they stand for. */
  private show(tok: BpeTokenizer, id: number, placeholders: readonly string[]): string {
    const piece = tok.piece(id);
    const m = /^⟨ph(\d+)⟩$/.exec(piece);
    if (m) return placeholders[Number(m[1])] ?? piece;
    return piece;
  }

  async translate(text: string, opts: DecodeOptions = {}): Promise<Translation> {
    this.assertAlive();
    if (typeof text !== 'string')
      throw new Error(`translate: expected a string, got ${typeof text}`);
    const [r] = await this.translateBatch([text], opts);
    return r as Translation;
  }

  async translateBatch(texts: readonly string[], opts: DecodeOptions = {}): Promise<Translation[]> {
    this.assertAlive();
    const { beam, nBest, maxLength, copy, lengthPenalty } = checkDecode(
      opts,
      this.lengthPenalty,
      this.sourceWords !== null,
    );
    const out: Translation[] = [];
    for (const text of texts) {
      if (typeof text !== 'string')
        throw new Error(`translateBatch: expected strings, got ${typeof text}`);
      if (text.length > MAX_INPUT_CHARS) {
        throw new Error(
          `translate: input has ${text.length} characters; at most ${MAX_INPUT_CHARS} are accepted — split it into paragraphs`,
        );
      }
      const segs = segment(toWellFormed(text));
      const parts: Translation[] = [];
      for (const s of segs)
        parts.push(
          ...(await this.translateSegment(s, beam, nBest, maxLength, copy, lengthPenalty)),
        );
      out.push(merge(parts));
    }
    return out;
  }

  /** Translate one segment; very long segments are cut into token chunks first. */
  private async translateSegment(
    text: string,
    beam: number,
    nBest: number,
    maxLength: number | undefined,
    copy: readonly CopyClass[],
    lengthPenalty: number,
  ): Promise<Translation[]> {
    // Placeholders, markup and characters the model never saw become ⟨phN⟩ tokens: the model
    // learnt to carry those through, so each comes back verbatim instead of mangled or invented.
    let p = protectVerbatim(text, {
      known: this.known,
      copy,
      ...(this.sourceWords ? { seen: this.sourceWords } : {}),
    });
    // More spans than placeholder tokens (a line of foreign or made-up words): unseen words are
    // left to the model rather than spelt as ⟨ph16⟩… text it never learnt to carry.
    if (p.placeholders.length > this.src.placeholders && copy.includes('unseen'))
      p = protectVerbatim(text, { known: this.known, copy: copy.filter((c) => c !== 'unseen') });
    if (!hasTranslatableText(p.text) && p.kinds.some((k) => k !== 'placeholder'))
      return [verbatimTranslation(p)];
    const ids = this.src.encode(p.text);
    const chunks: number[][] = [];
    for (let i = 0; i < ids.length; i += MAX_SOURCE_TOKENS)
      chunks.push(ids.slice(i, i + MAX_SOURCE_TOKENS));
    const owned = this.placeholdersPerChunk(chunks, p.placeholders.length);
    const res: Translation[] = [];
    for (const [k, chunk] of chunks.entries()) {
      const srcIds = [...chunk, EOS];
      // Room for expansion: targets run ~1.3× the source in subwords for es/fr/de.
      const maxLen =
        maxLength ?? Math.min(this.model.config.maxLen * 4, Math.ceil(chunk.length * 2) + 10);
      const [hyps] = await generate(this.model, [srcIds], {
        beam,
        nBest,
        maxLen,
        lengthPenalty,
        fast: this.fast,
      });
      res.push(this.toTranslation(p, owned[k] as number[], chunk, hyps ?? []));
    }
    return res;
  }

  /**
   * Which placeholders each token chunk must reproduce: those whose token it holds, plus (in the
   * last chunk) any cut in two at a chunk boundary. Repairing every chunk against all of the
   * segment's placeholders once copied each of them into every chunk's output.
   */
  private placeholdersPerChunk(chunks: number[][], count: number): number[][] {
    const taken = new Set<number>();
    const owned = chunks.map((chunk) => {
      const mine: number[] = [];
      for (const m of this.src.decode(chunk).matchAll(/⟨ph(\d+)⟩/g)) {
        const i = Number(m[1]);
        if (i < count && !taken.has(i)) {
          taken.add(i);
          mine.push(i);
        }
      }
      return mine;
    });
    for (let i = 0; i < count; i++) if (!taken.has(i)) owned[owned.length - 1]?.push(i);
    return owned;
  }

  private toTranslation(
    p: VerbatimProtected,
    owned: number[],
    srcIds: number[],
    hyps: IdHypothesis[],
  ): Translation {
    const best = hyps[0];
    // Renumber this chunk's placeholders 0..k-1 so repair requires exactly its own, once each.
    const local: Protected & { glue: number[] } = {
      text: '',
      placeholders: owned.map((i) => p.placeholders[i] ?? ''),
      glue: owned.map((i) => p.glue[i] ?? 0),
    };
    const renumber = (text: string) =>
      text.replace(/⟨ph(\d+)⟩/g, (_m, n: string) => {
        const j = owned.indexOf(Number(n));
        return `⟨ph${j >= 0 ? j : owned.length}⟩`;
      });
    const source = this.src.decode(srcIds);
    const decode = (h: IdHypothesis) =>
      tidyOutput(source, restoreVerbatim(renumber(this.tgt.decode(h.tokens)), local));
    const sourceTokens = srcIds.map((id) => this.show(this.src, id, p.placeholders));
    // The format placeholders only: markup and verbatim spans are protected the same way but are not placeholders.
    const placeholders = owned
      .filter((i) => p.kinds[i] === 'placeholder')
      .map((i) => p.placeholders[i] ?? '');
    if (!best)
      return {
        text: '',
        score: 0,
        sourceTokens,
        targetTokens: [],
        attention: [],
        placeholders,
        nBest: [],
      };
    const targetTokens = best.tokens.map((id) => this.show(this.tgt, id, p.placeholders));
    // Rows for emitted tokens only; columns for source tokens only (EOS dropped, rows renormalised).
    const attention = best.attention.slice(0, best.tokens.length).map((row) => {
      const r = row.slice(0, srcIds.length);
      const s = r.reduce((a, b) => a + b, 0);
      return s > 0 ? r.map((v) => v / s) : r;
    });
    return {
      text: decode(best),
      score: best.score,
      sourceTokens,
      targetTokens,
      attention,
      placeholders,
      nBest: hyps.map((h) => ({ text: decode(h), score: h.score })),
    };
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.fast?.dispose();
    this.model.dispose();
    this.disposed = true;
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('Translator: used after dispose(); load the model again');
  }
}

/**
 * A segment with nothing to translate — only markup, emoji, text in a script the model never saw,
 * control characters (with placeholders, maybe) — comes back as it is, without running the model:
 * anything it wrote would be invented.
 */
function verbatimTranslation(p: VerbatimProtected): Translation {
  const text = restoreVerbatim(p.text, p);
  return {
    text,
    score: 0,
    sourceTokens: [...p.placeholders],
    targetTokens: [...p.placeholders],
    attention: [],
    placeholders: p.placeholders.filter((_, i) => p.kinds[i] === 'placeholder'),
    nBest: [{ text, score: 0 }],
  };
}

/** Join segment translations; attention becomes block-diagonal over the concatenated tokens. */
function merge(parts: Translation[]): Translation {
  if (parts.length === 1) return parts[0] as Translation;
  if (parts.length === 0)
    return {
      text: '',
      score: 0,
      sourceTokens: [],
      targetTokens: [],
      attention: [],
      placeholders: [],
      nBest: [],
    };
  const sourceTokens = parts.flatMap((p) => p.sourceTokens);
  const targetTokens = parts.flatMap((p) => p.targetTokens);
  const attention: number[][] = [];
  let col = 0;
  for (const p of parts) {
    for (const row of p.attention) {
      const full = new Array<number>(sourceTokens.length).fill(0);
      row.forEach((v, j) => {
        full[col + j] = v;
      });
      attention.push(full);
    }
    col += p.sourceTokens.length;
  }
  const text = parts.map((p) => p.text).join(' ');
  const score = parts.length ? parts.reduce((a, p) => a + p.score, 0) / parts.length : 0;
  return {
    text,
    score,
    sourceTokens,
    targetTokens,
    attention,
    placeholders: parts.flatMap((p) => p.placeholders),
    nBest: [{ text, score }],
  };
}

/** A tokenizer file's word list as a set, or null where it has none; anything else is refused. */
function checkSourceWords(words: unknown, where: string): ReadonlySet<string> | null {
  if (words === undefined) return null;
  if (!Array.isArray(words) || !words.every((w) => typeof w === 'string' && w === w.toLowerCase()))
    throw new Error(
      `${where}: sourceWords must be an array of lowercase words (as \`seqlab train words\` writes it), got ${Array.isArray(words) ? 'other values in the array' : typeof words}`,
    );
  return new Set(words);
}

/** Load a translation model folder (model.json + shards + tokenizer.json + card.md) from a source. */
export async function loadTranslator(
  src: ModelSource,
  opts: PipelineLoadOptions = {},
): Promise<TranslatorPipeline> {
  const handler = sourceHandler(src, opts.onProgress);
  const { model, userDefinedMetadata } = await loadSeq2Seq(handler, `${src.location}/model.json`);
  try {
    const meta = parseMetadata(userDefinedMetadata, `${src.location}/model.json`, 'translate');
    const tokFile = meta.files.tokenizer ?? 'tokenizer.json';
    const tj = (await readJson(src, tokFile)) as TokenizerFile;
    let source: BpeTokenizer;
    let target: BpeTokenizer;
    try {
      source = BpeTokenizer.fromJSON(tj.source);
      target = tj.joint ? source : BpeTokenizer.fromJSON(tj.target);
    } catch (e) {
      throw new Error(`${src.location}/${tokFile}: ${(e as Error).message}`);
    }
    if (source.vocabSize !== model.config.srcVocab || target.vocabSize !== model.config.tgtVocab) {
      throw new Error(
        `${src.location}/${tokFile}: tokenizer vocab sizes (${source.vocabSize}, ${target.vocabSize}) do not match the weights (${model.config.srcVocab}, ${model.config.tgtVocab})`,
      );
    }
    const md = meta.files.card
      ? new TextDecoder().decode(await src.read(meta.files.card).catch(() => new Uint8Array()))
      : '';
    const s = meta.settings as { source?: string; target?: string; lengthPenalty?: unknown };
    const alpha =
      s.lengthPenalty === undefined
        ? TRANSLATE_LENGTH_PENALTY
        : checkLengthPenalty(
            s.lengthPenalty,
            `${src.location}/model.json: userDefinedMetadata.settings.lengthPenalty`,
          );
    const t = new TranslatorPipeline(
      makeCard(meta, md, handler.sizeBytes()),
      { source: s.source ?? 'en', target: s.target ?? '?' },
      model,
      source,
      target,
      FastDecoder.from(model, opts),
      alpha,
      checkSourceWords(tj.sourceWords, `${src.location}/${tokFile}`),
    );
    // Warm-up compiles kernels / allocates so the first user translation is fast.
    if (!opts.skipWarmup) await t.translate('Open the file');
    return t;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

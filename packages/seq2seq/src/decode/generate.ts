// generate(): the one way to decode a seqlab model (greedy or beam, n-best, length penalty, constraints) and the one place for its defaults.
import * as tf from '@tensorflow/tfjs-core';
import type { FastDecoder } from '../fast/fast-decoder';
import type { Decoder, DecoderMemory, DecoderState } from '../model/decoder';
import { disposeMemory, disposeState } from '../model/decoder-state';
import { beamFromStart, beamSearchDecode, type Hypothesis } from './beam-search';
import type { AllowedTokensFn } from './constraints';
import { checkBeam, DECODE_DEFAULTS } from './defaults';
import { type GreedyResult, greedyDecode, greedyFromStart } from './greedy';
import { hostSelectByDefault } from './select';

/** A model `generate` can decode: anything that turns its input into the decoder's start. */
export interface Generator<I> {
  readonly decoder: Decoder;
  readonly config: { readonly maxLen: number };
  /** How many inputs `input` holds. */
  inputCount(input: I): number;
  /** Input `i` alone, as a new value (beam search decodes one input at a time; tensors are disposed after `begin`). */
  inputAt(input: I, i: number): I;
  /** Encode `input` and prepare the decoder: memory and initial state (the caller disposes both). */
  begin(input: I, fast: FastDecoder | null): { mem: DecoderMemory; state: DecoderState };
  /**
   * For text models: `input` as validated token id rows, so a FastDecoder can encode and start
   * decoding on the host with no tensor on the way. Absent for other inputs (images).
   */
  idRows?(input: I): readonly (readonly number[])[];
}

export interface GenerateOptions {
  /** Beam width; 1 (default) decodes greedily. */
  beam?: number;
  /** Hypotheses returned per input, best first (1..beam; default: beam). */
  nBest?: number;
  /** Longest output in tokens, EOS included (default: the model's maxLen). */
  maxLen?: number;
  /** Beam search's length penalty α (default {@link DECODE_DEFAULTS}.lengthPenalty). */
  lengthPenalty?: number;
  /** Only these next tokens (closed vocabularies, prefixes; see AllowedTokensFn). */
  allowedTokens?: AllowedTokensFn;
  /** Pick tokens on the host (default: on cpu and wasm). */
  hostSelect?: boolean;
  /** Decode on seqlab's kernels with this copy of the same model (see FastDecoder.from). */
  fast?: FastDecoder | null;
  /**
   * Repetition guard: a hypothesis that reaches maxLen without EOS, looping over one span for at
   * least this many tokens, is cut back to one copy and marked `repeated` (see guardRepeats;
   * default {@link DECODE_DEFAULTS}.repeatTokens, 0 = off).
   */
  repeatTokens?: number;
}

/** A greedy result as a hypothesis: its score is the mean log-probability per emitted token (EOS counted). */
export function greedyHypothesis(g: GreedyResult): Hypothesis {
  return {
    tokens: g.tokens,
    logProb: g.logProb,
    score: g.logProb / Math.max(1, g.tokens.length + 1),
    attention: g.attention,
    finished: g.finished,
    ...(g.repeated ? { repeated: true } : {}),
  };
}

/**
 * Decode every input of `input`: greedily (one batch) when `beam` is 1, else beam search one
 * input at a time. Returns each input's hypotheses, best first.
 *
 * @example
 * const [[best]] = await generate(model, [[45, 12, 9, 2]], { beam: 4 });
 * best.tokens; best.score; best.attention;
 */
export async function generate<I>(
  model: Generator<I>,
  input: I,
  opts: GenerateOptions = {},
): Promise<Hypothesis[][]> {
  const { beam, nBest } = checkBeam(opts, 'generate');
  const maxLen = opts.maxLen ?? model.config.maxLen;
  if (!Number.isInteger(maxLen) || maxLen < 1)
    throw new Error(`generate: maxLen must be a positive integer, got ${maxLen}`);
  const fast = opts.fast ?? null;
  // Text on a FastDecoder with a host encoder: encode, bridge and keys on the host, then decode
  // there (null where it cannot, e.g. while another decoding holds it: then the tensor path).
  const onHost = fast && model.idRows && (opts.hostSelect ?? hostSelectByDefault());
  const hostStart = (one: I) => (onHost ? fast.startFromIds(model.idRows?.(one) ?? []) : null);
  const repeatTokens = opts.repeatTokens ?? DECODE_DEFAULTS.repeatTokens;
  if (!Number.isInteger(repeatTokens) || repeatTokens < 0)
    throw new Error(
      `generate: repeatTokens must be an integer ≥ 0 (0 turns the repetition guard off), got ${repeatTokens}`,
    );
  const common = {
    maxLen,
    fast,
    repeatTokens,
    ...(opts.allowedTokens ? { allowedTokens: opts.allowedTokens } : {}),
    ...(opts.hostSelect !== undefined ? { hostSelect: opts.hostSelect } : {}),
  };
  if (beam === 1) {
    const start = hostStart(input);
    if (start)
      return (await greedyFromStart(model.decoder, start, common)).map((g) => [
        greedyHypothesis(g),
      ]);
    const { mem, state } = model.begin(input, fast);
    try {
      const res = await greedyDecode(model.decoder, mem, state, common);
      return res.map((g) => [greedyHypothesis(g)]);
    } finally {
      disposeMemory(mem);
      disposeState(state);
    }
  }
  const beamOpts = {
    ...common,
    beamWidth: beam,
    nBest,
    lengthPenalty: opts.lengthPenalty ?? DECODE_DEFAULTS.lengthPenalty,
  };
  const out: Hypothesis[][] = [];
  const n = model.inputCount(input);
  for (let i = 0; i < n; i++) {
    const one = model.inputAt(input, i);
    const start = hostStart(one);
    if (start) {
      out.push(await beamFromStart(model.decoder, start, beamOpts));
      continue;
    }
    let started: { mem: DecoderMemory; state: DecoderState };
    try {
      started = model.begin(one, fast);
    } finally {
      tf.dispose(one as unknown as tf.TensorContainer); // a tensor input's slice; nothing for id rows
    }
    const { mem, state } = started;
    try {
      out.push(await beamSearchDecode(model.decoder, mem, state, beamOpts));
    } finally {
      disposeMemory(mem);
      disposeState(state);
    }
  }
  return out;
}

// Shared fixtures of the run-loop tests.
import type { Seq2SeqConfig } from '@seqlab/seq2seq';

/** The tiny seq2seq the run-loop tests train a few steps (checkpoints, resume, run dirs). */
export const RUN_LOOP_MODEL: Partial<Seq2SeqConfig> = {
  srcVocab: 10,
  tgtVocab: 10,
  embDim: 4,
  hidden: 6,
  encoderHidden: 3,
  attentionDim: 4,
  maxLen: 6,
  seed: 2,
};

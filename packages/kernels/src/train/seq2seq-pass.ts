// The seq2seq forward and backward pass on the kernels (time-major rows t·b + i throughout):
// embeddings → (bi)LSTM encoder → bridge → LSTM decoder → dot attention → combine → output
// layer → softmax cross-entropy, then every gradient back into the flat gradient block. Each
// stage lives in its own file (pass-encoder, pass-decoder, pass-attention, pass-output) over the
// shared state of pass-context.
import { attentionBackward, attentionForward } from './pass-attention';
import { beginPass, type StepBuffers } from './pass-context';
import { decoderBackward, decoderForward } from './pass-decoder';
import { encoderBackward, encoderForward } from './pass-encoder';
import { outputLoss } from './pass-output';

export type { StepBuffers };

/**
 * Loss of `batch` (mean over non-PAD target tokens, label smoothing and dropout when training)
 * with every gradient written into the gradient block (zeroed first). Takes beginPass's
 * arguments (pool, config, buffers, gradient floats, batch, { training, seed }); allocates its
 * activations after the pool's current mark; the caller resets it.
 */
export function forwardBackward(...args: Parameters<typeof beginPass>): number {
  const p = beginPass(...args);
  const enc = encoderForward(p);
  const dec = decoderForward(p, enc);
  const att = attentionForward(p, enc, dec.Q);
  const { loss, dHF } = outputLoss(p, att.HF);
  const { dQ, dMEM } = attentionBackward(p, enc, dec.Q, att, dHF);
  const { dSUM, finalGrads } = decoderBackward(p, enc, dec, dQ);
  encoderBackward(p, enc, dMEM, dSUM, finalGrads);
  return loss;
}

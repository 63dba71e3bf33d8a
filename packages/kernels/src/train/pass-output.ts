// The output stage of a pass: the output layer and softmax cross-entropy (label smoothing, PAD
// targets skipped), the loss, and the output layer's backward.
import type { Pass } from './pass-context';

/**
 * Logits, loss and the output layer's gradients for the rows of HF [L·b, H]; returns the mean
 * loss over non-PAD targets and the gradient of HF.
 */
export function outputLoss(p: Pass, HF: number): { loss: number; dHF: number } {
  const { pool, b, L, H, V, eps, raw, zeros, P, G, fill, idsOut } = p;
  // ---- output layer and loss, on the non-PAD target rows only (a PAD row adds nothing to the
  // loss and has zero gradient, so skipping it is the same math with fewer FLOPs); the logits
  // become their gradient in place.
  // Plain arrays, not views: a view dies when an allocation below grows the memory.
  const rowsAt: number[] = [];
  const targets: number[] = [];
  pool.i32(idsOut, L * b).forEach((t, r) => {
    if (t !== 0) {
      rowsAt.push(r);
      targets.push(t);
    }
  });
  const n = rowsAt.length;
  const scale = 1 / Math.max(n, 1);
  const Wout = P('decoder/out/kernel');
  const all = n === L * b; // no PAD target: use the rows where they are
  const dHF = all ? raw(L * b * H) : zeros(L * b * H); // PAD rows keep a zero gradient
  let loss = 0;
  if (n > 0) {
    const HFc = all ? HF : raw(n * H); // [n, H] the rows that have a target
    const ids = all ? idsOut : raw(n);
    if (!all) {
      const src = pool.f32(HF, L * b * H);
      const dst = pool.f32(HFc, n * H);
      const iv = pool.i32(ids, n);
      rowsAt.forEach((r, k) => {
        dst.set(src.subarray(r * H, r * H + H), k * H);
        iv[k] = targets[k] as number;
      });
    }
    const LOG = raw(n * V);
    fill(LOG, n, P('decoder/out/bias'), V);
    pool.gemm(
      { at: HFc, rs: H, cs: 1 },
      { at: Wout, rs: V, cs: 1 },
      { at: LOG, ld: V },
      n,
      V,
      H,
      true,
    );
    const STATS = raw(n * 4);
    pool.run('xent', LOG, ids, n, V, eps, scale, STATS);
    const st = pool.f32(STATS, n * 4);
    let lossSum = 0;
    for (let r = 0; r < n; r++) {
      const [mx, se, xt, sx] = [st[4 * r], st[4 * r + 1], st[4 * r + 2], st[4 * r + 3]] as number[];
      lossSum +=
        (mx as number) +
        Math.log(se as number) -
        (1 - eps) * (xt as number) -
        (eps * (sx as number)) / V;
    }
    loss = lossSum * scale;

    // ---- backward: output layer
    pool.gemm(
      { at: HFc, rs: 1, cs: H },
      { at: LOG, rs: V, cs: 1 },
      { at: G('decoder/out/kernel'), ld: V },
      H,
      V,
      n,
      true,
    );
    pool.run('colsum', LOG, n, V, G('decoder/out/bias'), 1);
    const dHFc = all ? dHF : raw(n * H);
    pool.gemm(
      { at: LOG, rs: V, cs: 1 },
      { at: Wout, rs: 1, cs: V },
      { at: dHFc, ld: H },
      n,
      H,
      V,
      false,
    );
    if (!all) {
      const src = pool.f32(dHFc, n * H);
      const dst = pool.f32(dHF, L * b * H);
      rowsAt.forEach((r, k) => {
        dst.set(src.subarray(k * H, k * H + H), r * H);
      });
    }
  }
  return { loss, dHF };
}

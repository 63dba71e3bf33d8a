// One greedy or beam decoding on a HostDecoder: per-row buffers and state in the kernels' memory, one step per call.
import { roundUp } from '@seqlab/kernels';
import type { HostDecoder, HostDecodingStart, HostStepRead } from './host-decoder';
import type { Int8Head } from './int8-head';

/** Per-row buffers of one decoding, as byte offsets into the kernels' memory. */
interface RowBufs {
  x: number[]; // per layer: layer 0 [emb; feed; h], layer l [x; h]
  c: number[]; // per layer [Hp]
  z: number; // [4Hp]
  keys: number; // additive: [T, Ap]
  q: number; // [Ap]
  scores: number; // [T] (padded to 4)
  comb: number; // [Hp + d]: [h_top; context]
  feed: number; // [Hp]
  logits: number; // [Vp]
}

/** One greedy or beam decoding on a {@link HostDecoder}: state lives in the kernels' memory. */
export class HostStepper {
  private readonly rows: RowBufs[] = [];
  /** Byte strides between rows of each kind of buffer (rows are contiguous per kind). */
  private readonly stride: { x: number[]; z: number; comb: number; feed: number; logits: number };
  private readonly T: number;
  /** Per layer: floats in its input vector [x; h], and the byte offset of h in it. */
  private readonly xSize: number[];
  private readonly hOff: number[];
  private ended = false;

  constructor(
    private readonly dec: HostDecoder,
    private readonly s: HostDecodingStart,
    private readonly head: Int8Head | null,
  ) {
    const { Hp, Ap, Ep, Vp, w, cells } = dec.layout();
    const { hidden: H, memoryDim: d } = w;
    const T = s.T;
    this.T = T;
    const n = s.rows;
    // A layer's input vector is its weight matrix's rows: [x; h], h in the last Hp.
    this.xSize = cells.map((c) => c.rows);
    this.hOff = cells.map((c) => 4 * (c.rows - Hp));
    // One block of n rows per kind of buffer, so a batched kernel can walk the rows by stride.
    const block = (floats: number) => ({ at: dec.scratch(n * floats), step: 4 * floats });
    const xs = this.xSize.map(block);
    const cs = cells.map(() => block(Hp));
    const z = block(4 * Hp);
    const keys = w.attention === 'additive' ? block(T * Ap) : null;
    const q = block(Ap);
    const scores = block(roundUp(T, 4));
    const comb = block(Hp + d);
    const feed = block(Hp);
    const logits = block(Vp);
    this.stride = {
      x: xs.map((b) => b.step),
      z: z.step,
      comb: comb.step,
      feed: feed.step,
      logits: logits.step,
    };
    const at = (b: { at: number; step: number }, r: number) => b.at + r * b.step;
    for (let r = 0; r < n; r++) {
      const buf: RowBufs = {
        x: xs.map((b) => at(b, r)),
        c: cs.map((b) => at(b, r)),
        z: at(z, r),
        keys: keys ? at(keys, r) : 0,
        q: at(q, r),
        scores: at(scores, r),
        comb: at(comb, r),
        feed: at(feed, r),
        logits: at(logits, r),
      };
      // Initial state: h of each layer into its x slot, c, and the fed-back vector.
      w.cells.forEach((_, l) => {
        const hAt = this.hSlot(buf, l);
        dec.view(hAt, H).set((s.layers[l] as { h: Float32Array }).h.subarray(r * H, (r + 1) * H));
        dec
          .view(buf.c[l] as number, H)
          .set((s.layers[l] as { c: Float32Array }).c.subarray(r * H, (r + 1) * H));
      });
      if (w.feeds)
        dec.view((buf.x[0] as number) + 4 * Ep, H).set(s.feed.subarray(r * H, (r + 1) * H));
      if (w.attention === 'additive' && s.keys) {
        const A = w.attentionDim;
        for (let t = 0; t < T; t++)
          dec
            .view(buf.keys + 4 * t * Ap, A)
            .set(s.keys.subarray((r * T + t) * A, (r * T + t + 1) * A));
      }
      this.rows.push(buf);
    }
  }

  /** Byte offset of layer l's h inside its input vector. */
  private hSlot(buf: RowBufs, l: number): number {
    return (buf.x[l] as number) + (this.hOff[l] as number);
  }

  /**
   * One step for each of the first tokens.length rows (a beam may have fewer live rows than it
   * has rows). Each phase runs across the rows, so the big matrices are read once per four rows.
   */
  step(tokens: Int32Array): HostStepRead {
    if (this.ended) throw new Error('HostStepper: step after end()');
    const dec = this.dec;
    const arena = dec.kernelArena;
    const k = arena.k;
    const { Hp, Ap, Vp, Ep, w, cells, wq, v, zeros } = dec.layout();
    const { hidden: H, embDim: E, memoryDim: d, vocab: V } = w;
    const { T, s, stride } = this;
    const b = tokens.length;
    if (b < 1 || b > this.rows.length)
      throw new Error(`HostStepper: expected 1..${this.rows.length} tokens, got ${b}`);
    const rows = this.rows.slice(0, b);
    const first = rows[0] as RowBufs;
    for (const [r, buf] of rows.entries()) {
      const tok = tokens[r] as number;
      if (!(tok >= 0 && tok < V)) throw new Error(`HostStepper: token ${tok} outside [0, ${V})`);
      dec.view(buf.x[0] as number, E).set(w.embedding.subarray(tok * E, (tok + 1) * E));
    }
    for (let l = 0; l < cells.length; l++) {
      const cell = cells[l] as { W: number; rows: number; b: number };
      if (l > 0)
        for (const buf of rows)
          dec.view(buf.x[l] as number, Hp).set(dec.view(this.hSlot(buf, l - 1), Hp));
      const xs = stride.x[l] as number;
      arena.gemvRows(
        first.x[l] as number,
        xs,
        cell.W,
        cell.b,
        first.z,
        stride.z,
        cell.rows,
        4 * Hp,
        b,
      );
      for (const buf of rows) k.lstmgates(buf.z, buf.c[l] as number, this.hSlot(buf, l), Hp);
    }
    const top = cells.length - 1;
    const attention = w.attention === 'none' ? null : new Float32Array(b * T);
    const combine = dec.combineMat;
    // Where each row's h̃ (the output layer's input) is: the combine output, or the top h.
    let feedAt = this.hSlot(first, top);
    let feedStride = stride.x[top] as number;
    if (attention && combine) {
      for (const [r, buf] of rows.entries()) {
        const hTop = this.hSlot(buf, top);
        const scores = dec.view(buf.scores, T);
        if (w.attention === 'additive' && wq) {
          k.gemvf(hTop, wq.at, zeros, buf.q, Hp, Ap);
          k.addtanhdot(buf.keys, buf.q, v, buf.scores, T, Ap);
        } else {
          const keys = s.keys as Float32Array;
          const h = dec.view(hTop, H);
          for (let t = 0; t < T; t++) {
            let e = 0;
            const o = (r * T + t) * H;
            for (let u = 0; u < H; u++) e += (keys[o + u] as number) * (h[u] as number);
            scores[t] = e;
          }
        }
        // Masked softmax, then the context Σ_t w_t m_t into the combine input after h.
        let max = Number.NEGATIVE_INFINITY;
        for (let t = 0; t < T; t++) {
          const e = (scores[t] as number) + (s.maskBias[r * T + t] as number);
          scores[t] = e;
          if (e > max) max = e;
        }
        let sum = 0;
        for (let t = 0; t < T; t++) {
          const e = Math.exp((scores[t] as number) - max);
          scores[t] = e;
          sum += e;
        }
        const comb = dec.view(buf.comb, Hp + d);
        comb.set(dec.view(hTop, Hp));
        comb.fill(0, Hp);
        for (let t = 0; t < T; t++) {
          const a = (scores[t] as number) / sum;
          attention[r * T + t] = a;
          const m = (r * T + t) * d;
          for (let j = 0; j < d; j++)
            comb[Hp + j] = (comb[Hp + j] as number) + a * (s.memory[m + j] as number);
        }
      }
      arena.gemvRows(
        first.comb,
        stride.comb,
        combine.W.at,
        combine.b,
        first.feed,
        stride.feed,
        Hp + d,
        Hp,
        b,
      );
      for (const buf of rows) {
        k.tanhv(buf.feed, Hp);
        if (w.feeds) dec.view((buf.x[0] as number) + 4 * Ep, Hp).set(dec.view(buf.feed, Hp));
      }
      feedAt = first.feed;
      feedStride = stride.feed;
    }
    const feeds = new Float32Array(b * H);
    for (let r = 0; r < b; r++) feeds.set(dec.view(feedAt + r * feedStride, H), r * H);
    if (this.head) return { attention, ...this.head.scores(feeds, b) };
    const out = dec.outMat;
    arena.gemvRows(feedAt, feedStride, out.W.at, out.b, first.logits, stride.logits, Hp, Vp, b);
    const logits = new Float32Array(b * V);
    for (let r = 0; r < b; r++) logits.set(dec.view(first.logits + r * stride.logits, V), r * V);
    return { logits, attention, refine: () => {} };
  }

  /**
   * Row i takes the state of row parents[i] (beam search's backpointers); rows past
   * parents.length keep what they have. Memory and keys are the same input in every row.
   */
  reorder(parents: readonly number[]): void {
    if (this.ended) throw new Error('HostStepper: reorder after end()');
    const n = this.rows.length;
    if (parents.length > n || parents.some((p) => !Number.isInteger(p) || p < 0 || p >= n))
      throw new Error(
        `HostStepper.reorder: expected up to ${n} rows in [0, ${n}), got [${parents}]`,
      );
    const { Hp } = this.dec.layout();
    const sizes = [...this.xSize, ...this.xSize.map(() => Hp)];
    const bufsOf = (r: number) => {
      const b = this.rows[r] as RowBufs;
      return [...b.x, ...b.c];
    };
    // Snapshot the parents first: a row may be both a source and a destination.
    const snap = parents.map((p) =>
      bufsOf(p).map((at, i) => this.dec.view(at, sizes[i] as number).slice()),
    );
    for (const [r, bufs] of snap.entries()) {
      const dst = bufsOf(r);
      for (const [i, v] of bufs.entries()) this.dec.view(dst[i] as number, v.length).set(v);
    }
  }

  /** Hands the decoder's scratch memory back. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.dec.release();
  }
}

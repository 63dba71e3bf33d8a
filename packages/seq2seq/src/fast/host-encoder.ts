// The text encoder's (bi)LSTM stack on the host for inference on cpu/wasm: each step is one SIMD
// matrix-vector product and one gate kernel on weights copied once, instead of tensor ops.
import { KernelArena, roundUp } from '@seqlab/kernels';

/** The encoder's weights as `Encoder.useHostEncoding` reads them (row-major, as the tensors). */
export interface HostEncoderWeights {
  vocab: number;
  embDim: number;
  hidden: number;
  bidirectional: boolean;
  embedding: Float32Array; // [V, E]
  /** Per layer, per direction (forward, then backward): kernel [in, 4H], recurrent [H, 4H], bias [4H]. */
  layers: { kernel: Float32Array; recurrent: Float32Array; bias: Float32Array }[][];
}

/** What {@link HostEncoder.encode} returns, row-major like the tensor encoder's outputs. */
export interface HostEncoding {
  memory: Float32Array; // [b, S, d]
  mask: Float32Array; // [b, S]
  summary: Float32Array; // [b, d]
}

/**
 * `Encoder.encode` without dropout, on the host: the same maths as the fused LSTM (a PAD step
 * keeps h and c), summed in another order (outputs agree to ~1e-6). Null from {@link create}
 * where WebAssembly SIMD is unavailable.
 */
export class HostEncoder {
  private readonly arena: KernelArena;
  private readonly w: HostEncoderWeights;
  private readonly Hp: number;
  private readonly Ep: number;
  /** Per layer and direction: stacked [x rows; h rows] × 4Hp weights and bias, byte offsets. */
  private readonly cells: { W: number; rows: number; b: number }[][] = [];
  private readonly weightsEnd: number;

  private constructor(arena: KernelArena, w: HostEncoderWeights) {
    this.arena = arena;
    this.w = w;
    const H = w.hidden;
    this.Hp = roundUp(H, 16);
    this.Ep = roundUp(w.embDim, 4);
    const { Hp, Ep } = this;
    const dirs = w.bidirectional ? 2 : 1;
    w.layers.forEach((dirWeights, l) => {
      // Layer 0 reads the embedding (Ep); layer l the previous outputs [fwd Hp; bwd Hp].
      const xRows = l === 0 ? Ep : dirs * Hp;
      const inRows = l === 0 ? w.embDim : dirs * H;
      const rowAt = (i: number) => (l === 0 ? i : Math.floor(i / H) * Hp + (i % H));
      this.cells.push(dirWeights.map((c) => arena.lstmLayer(c, H, Hp, xRows, inRows, rowAt)));
    });
    this.weightsEnd = arena.mark;
  }

  /** Build from the encoder's weights, or null where WebAssembly SIMD is unavailable. */
  static create(weights: HostEncoderWeights): HostEncoder | null {
    const arena = KernelArena.create();
    return arena ? new HostEncoder(arena, weights) : null;
  }

  /** Encode right-padded ids [b][S] (PAD = 0 masks a step), as `Encoder.encode` does. */
  encode(ids: readonly (readonly number[])[]): HostEncoding {
    const { w, Hp, Ep } = this;
    const k = this.arena.k;
    const H = w.hidden;
    const E = w.embDim;
    const b = ids.length;
    if (b === 0) throw new Error('HostEncoder.encode: expected at least one sequence, got none');
    const S = Math.max(1, ...ids.map((r) => r.length)); // as padIds: an empty row is one PAD
    const dirs = w.bidirectional ? 2 : 1;
    const d = dirs * H;
    this.arena.reset(this.weightsEnd);
    // Per step: the layer's input x [S, xRows] (shared by both directions), then per direction
    // [x; h] is assembled in `xh`, run through gemvf → z → lstmgates, and h written to `out`.
    const inWidth = Math.max(Ep, dirs * Hp);
    const xs = this.arena.alloc(S * inWidth);
    const out = this.arena.alloc(S * dirs * Hp);
    const xh = this.arena.alloc(inWidth + Hp);
    const z = this.arena.alloc(4 * Hp);
    const c = this.arena.alloc(Hp);
    const memory = new Float32Array(b * S * d);
    const mask = new Float32Array(b * S);
    const summary = new Float32Array(b * d);
    for (let r = 0; r < b; r++) {
      const row = ids[r] as readonly number[];
      const keep = (s: number) => s < row.length && row[s] !== 0;
      for (let s = 0; s < S; s++) mask[r * S + s] = keep(s) ? 1 : 0;
      const X = this.arena.f32(xs, S * inWidth);
      X.fill(0);
      for (let s = 0; s < S; s++) {
        const id = s < row.length ? (row[s] as number) : 0;
        if (!Number.isInteger(id) || id < 0 || id >= w.vocab)
          throw new Error(`HostEncoder.encode: id ${id} outside [0, ${w.vocab})`);
        X.set(w.embedding.subarray(id * E, (id + 1) * E), s * inWidth);
      }
      for (let l = 0; l < this.cells.length; l++) {
        const layer = this.cells[l] as { W: number; rows: number; b: number }[];
        for (let dir = 0; dir < dirs; dir++) {
          const cell = layer[dir] as { W: number; rows: number; b: number };
          const xRows = cell.rows - Hp; // the layer's input rows, then h
          const hAt = xh + 4 * xRows;
          this.arena.f32(hAt, Hp).fill(0);
          this.arena.f32(c, Hp).fill(0);
          for (let n = 0; n < S; n++) {
            const s = dir === 0 ? n : S - 1 - n;
            if (keep(s)) {
              this.arena.f32(xh, xRows).set(this.arena.f32(xs + 4 * s * inWidth, xRows));
              k.gemvf(xh, cell.W, cell.b, z, cell.rows, 4 * Hp);
              k.lstmgates(z, c, hAt, Hp);
            }
            // The step's output is h (carried over a PAD step), at its time position.
            this.arena.f32(out + 4 * (s * dirs + dir) * Hp, Hp).set(this.arena.f32(hAt, Hp));
          }
          // Final state: forward after the last step, backward after the first position.
          summary.set(this.arena.f32(hAt, H), r * d + dir * H);
        }
        // This layer's outputs are the next layer's inputs [fwd Hp; bwd Hp] per step.
        const O = this.arena.f32(out, S * dirs * Hp);
        const Xn = this.arena.f32(xs, S * inWidth);
        for (let s = 0; s < S; s++)
          Xn.set(O.subarray(s * dirs * Hp, (s + 1) * dirs * Hp), s * inWidth);
      }
      const O = this.arena.f32(out, S * dirs * Hp);
      for (let s = 0; s < S; s++)
        for (let dir = 0; dir < dirs; dir++)
          memory.set(
            O.subarray((s * dirs + dir) * Hp, (s * dirs + dir) * Hp + H),
            (r * S + s) * d + dir * H,
          );
    }
    return { memory, mask, summary };
  }
}

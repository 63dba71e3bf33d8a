// The training kernels across threads: one shared WebAssembly memory, one instance per thread, and a
// spin-then-wait dispatch through a control block in that memory (no per-call messages).
import { compileBase64, KernelInstance } from '../instance';
import {
  TRAIN_RELAXED_UNSHARED_WASM_BASE64,
  TRAIN_RELAXED_WASM_BASE64,
  TRAIN_UNSHARED_WASM_BASE64,
  TRAIN_WASM_BASE64,
} from './train-wasm';

/** The kernels of train.wat, in dispatch order (each takes tid, nt first). */
export const TRAIN_OPS = [
  'gemm',
  'lstm_fwd',
  'lstm_bwd',
  'xent',
  'adam',
  'sumsq',
  'embgrad',
  'colsum',
  'tanhf',
  'tanhb',
  'mulv',
  'lstm_step_f',
  'lstm_step_b',
] as const;
export type TrainOp = (typeof TRAIN_OPS)[number];

/** Starts one worker running `source` (a classic script); what the pool needs of it. */
export type SpawnWorker = (source: string) => WorkerLike;
export interface WorkerLike {
  postMessage(msg: unknown): void;
  onMessage(cb: (msg: unknown) => void): void;
  terminate(): void;
}

/** Bytes of GEMM workspace per thread (train.wat's gemm: A block, B panel, edge tile). */
export const GEMM_WS_BYTES = 590080;
const CTL = 256; // byte offset of the control block: seq, op, done, argc (int32), then args (f64)
const ARGS = CTL + 16;
const MAX_ARGS = 24;
const HEAP = 1024; // first allocatable byte
const SPIN = 2000; // polls before blocking: short, since on a shared machine a spinning thread steals its partner's core

/** The worker: instantiate, then run whatever the control block says until op −1 arrives. */
const WORKER_SOURCE = `
const OPS = ${JSON.stringify(TRAIN_OPS)};
const nodePort = typeof require === 'function' ? require('node:worker_threads').parentPort : null;
const post = (m) => (nodePort ? nodePort.postMessage(m) : self.postMessage(m));
const start = (d) => {
  const ex = new WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports;
  const fns = OPS.map((n) => ex[n]);
  const i32 = new Int32Array(d.memory.buffer, 0, ${ARGS / 4});
  const f64 = new Float64Array(d.memory.buffer, ${ARGS}, ${MAX_ARGS});
  const c = ${CTL / 4};
  let seen = 0;
  post('ready');
  for (;;) {
    let s, spins = 0;
    while ((s = Atomics.load(i32, c)) === seen) if (++spins > ${SPIN}) Atomics.wait(i32, c, seen);
    seen = s;
    const op = i32[c + 1];
    if (op < 0) break;
    const argc = i32[c + 3];
    const a = [d.tid, d.nt];
    for (let k = 0; k < argc; k++) a.push(f64[k]);
    fns[op](...a);
    Atomics.add(i32, c + 2, 1);
    Atomics.notify(i32, c + 2);
  }
  post('done');
};
if (nodePort) nodePort.once('message', start);
else self.onmessage = (e) => { self.onmessage = null; start(e.data); };
`;

/** Which builds this runtime accepts (relaxed SIMD is checked by validating the relaxed build). */
export function trainKernelSupport(): { simd: boolean; relaxed: boolean; shared: boolean } {
  const shared = typeof SharedArrayBuffer !== 'undefined';
  return {
    simd: compileBase64(TRAIN_UNSHARED_WASM_BASE64) !== null,
    relaxed: compileBase64(TRAIN_RELAXED_UNSHARED_WASM_BASE64) !== null,
    shared,
  };
}

/** Options of {@link KernelPool.create}. */
export interface KernelPoolOptions {
  /** Threads including the caller's; > 1 needs `spawn` and SharedArrayBuffer. Default 1. */
  threads?: number;
  /** Starts a worker (Node: `nodeSpawn` from '@seqlab/kernels/node'; pages: `webSpawn`). */
  spawn?: SpawnWorker;
  /** Use relaxed-SIMD FMA where the runtime validates it (default true). */
  relaxed?: boolean;
}

type Fn = (...a: number[]) => void;

/**
 * The training kernels on `threads` threads sharing one memory, plus a bump allocator over it.
 * `run(op, ...args)` runs a kernel on every thread (each takes its slice) and returns when all
 * are done; results do not depend on the thread count.
 *
 * @example
 * const pool = await KernelPool.create({ threads: 2, spawn: nodeSpawn });
 * const x = pool.alloc(8);
 * pool.f32(x, 8).fill(1);
 * pool.run('tanhf', x, 8);
 * pool.dispose();
 */
export class KernelPool {
  readonly threads: number;
  readonly relaxed: boolean;
  readonly inst: KernelInstance<Record<TrainOp, Fn>>;
  private readonly fns: Fn[];
  private readonly workers: WorkerLike[];
  private top = HEAP;
  private ws = 0;
  private readonly canWait: boolean;
  private disposed = false;

  private constructor(
    inst: KernelInstance<Record<TrainOp, Fn>>,
    threads: number,
    relaxed: boolean,
    workers: WorkerLike[],
  ) {
    this.inst = inst;
    this.threads = threads;
    this.relaxed = relaxed;
    this.workers = workers;
    this.fns = TRAIN_OPS.map((n) => inst.exports[n]);
    let canWait = true;
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    } catch {
      canWait = false; // a page's main thread may not block: spin instead
    }
    this.canWait = canWait;
    this.ws = this.alloc((threads * GEMM_WS_BYTES) / 4, false);
  }

  /** A pool of `threads` threads (workers started and instantiated before it resolves). */
  static async create(opts: KernelPoolOptions = {}): Promise<KernelPool> {
    const threads = Math.max(1, Math.floor(opts.threads ?? 1));
    const support = trainKernelSupport();
    if (!support.simd) throw new Error('KernelPool: this runtime has no WebAssembly SIMD');
    if (threads > 1 && !opts.spawn)
      throw new Error(
        `KernelPool: ${threads} threads need a spawn function (nodeSpawn or webSpawn)`,
      );
    if (threads > 1 && !support.shared)
      throw new Error(
        'KernelPool: threads need SharedArrayBuffer (a cross-origin isolated page); use threads: 1',
      );
    const relaxed = (opts.relaxed ?? true) && support.relaxed;
    const shared = threads > 1;
    const b64 = relaxed
      ? shared
        ? TRAIN_RELAXED_WASM_BASE64
        : TRAIN_RELAXED_UNSHARED_WASM_BASE64
      : shared
        ? TRAIN_WASM_BASE64
        : TRAIN_UNSHARED_WASM_BASE64;
    const mod = compileBase64(b64);
    if (!mod) throw new Error('KernelPool: the training kernels do not compile here');
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 32768, shared });
    const inst = new KernelInstance<Record<TrainOp, Fn>>(mod, memory);
    const workers: WorkerLike[] = [];
    const ready: Promise<void>[] = [];
    for (let tid = 1; tid < threads; tid++) {
      const w = (opts.spawn as SpawnWorker)(WORKER_SOURCE);
      workers.push(w);
      ready.push(
        new Promise((resolve) => {
          w.onMessage((m) => {
            if (m === 'ready') resolve();
          });
        }),
      );
      w.postMessage({ module: mod, memory, tid, nt: threads });
    }
    await Promise.all(ready);
    return new KernelPool(inst, threads, relaxed, workers);
  }

  /**
   * Byte offset of `floats` float32s, 64-byte aligned (grows the memory as needed); zeroed
   * unless `zero` is false (buffers the caller overwrites whole).
   */
  alloc(floats: number, zero = true): number {
    const at = this.top;
    this.top = Math.ceil((at + 4 * floats) / 64) * 64;
    this.inst.ensure(this.top);
    if (zero) this.f32(at, floats).fill(0);
    return at;
  }

  /** Where the next allocation goes; `reset(mark)` frees everything allocated after it. */
  get mark(): number {
    return this.top;
  }

  reset(mark: number): void {
    this.top = mark;
  }

  /** Workspace for `gemm`: one GEMM_WS_BYTES region per thread, below every other allocation. */
  get gemmWorkspace(): number {
    return this.ws;
  }

  f32(at: number, n: number): Float32Array {
    return this.inst.f32(at, n);
  }

  i32(at: number, n: number): Int32Array {
    return this.inst.i32(at, n);
  }

  /**
   * C (+)= A · B through train.wat's gemm: element (i, k) of A at byte A.at + 4(i·A.rs + k·A.cs)
   * (a transpose is a stride swap), likewise B; C row stride C.ld; `batch` products at element
   * strides A.bs, B.bs, C.bs. K must be ≥ 1.
   */
  gemm(
    A: { at: number; rs: number; cs: number; bs?: number },
    B: { at: number; rs: number; cs: number; bs?: number },
    C: { at: number; ld: number; bs?: number },
    M: number,
    N: number,
    K: number,
    acc: boolean,
    batch = 1,
  ): void {
    if (K < 1) throw new Error(`KernelPool.gemm: expected K >= 1, got ${K}`);
    const ws = this.gemmWorkspace;
    this.run(
      'gemm',
      A.at,
      A.rs,
      A.cs,
      A.bs ?? 0,
      B.at,
      B.rs,
      B.cs,
      B.bs ?? 0,
      C.at,
      C.ld,
      C.bs ?? 0,
      M,
      N,
      K,
      batch,
      acc ? 1 : 0,
      ws,
    );
  }

  /** Runs kernel `op` (args after tid, nt) on every thread; returns when all have finished. */
  run(op: TrainOp, ...args: number[]): void {
    if (this.disposed) throw new Error('KernelPool: used after dispose()');
    const k = TRAIN_OPS.indexOf(op);
    if (this.threads === 1) {
      (this.fns[k] as Fn)(0, 1, ...args);
      return;
    }
    if (args.length > MAX_ARGS) throw new Error(`KernelPool: at most ${MAX_ARGS} arguments`);
    const buf = this.inst.memory.buffer;
    const i32 = new Int32Array(buf, 0, ARGS / 4);
    new Float64Array(buf, ARGS, MAX_ARGS).set(args);
    const c = CTL / 4;
    i32[c + 1] = k;
    i32[c + 3] = args.length;
    Atomics.store(i32, c + 2, 0);
    Atomics.add(i32, c, 1);
    Atomics.notify(i32, c);
    (this.fns[k] as Fn)(0, this.threads, ...args);
    const want = this.threads - 1;
    let spins = 0;
    for (;;) {
      const done = Atomics.load(i32, c + 2);
      if (done === want) break;
      if (this.canWait && ++spins > SPIN) Atomics.wait(i32, c + 2, done, 1);
    }
  }

  /** Stops the workers (the memory goes with the last reference). */
  dispose(): void {
    if (this.disposed) return;
    if (this.threads > 1) {
      const i32 = new Int32Array(this.inst.memory.buffer, 0, ARGS / 4);
      const c = CTL / 4;
      i32[c + 1] = -1;
      Atomics.add(i32, c, 1);
      Atomics.notify(i32, c);
      for (const w of this.workers) w.terminate();
    }
    this.disposed = true;
  }
}

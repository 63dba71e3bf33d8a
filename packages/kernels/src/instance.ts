// The one wasm instance helper every kernel module uses: compile from base64, grow memory, views.

const compiled = new Map<string, WebAssembly.Module | null>();

/** Bytes of a base64 string (atob exists in Node ≥ 16 and every browser). */
export function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * The compiled module for these base64 bytes (cached per string), or null where this runtime
 * rejects them (no SIMD, no threads, no relaxed SIMD).
 *
 * @example
 * const mod = compileBase64(FLOAT_WASM_BASE64);
 * if (mod) new KernelInstance<{ tanhv(p: number, n: number): void }>(mod).exports.tanhv(0, 4);
 */
export function compileBase64(b64: string): WebAssembly.Module | null {
  const hit = compiled.get(b64);
  if (hit !== undefined) return hit;
  let mod: WebAssembly.Module | null = null;
  try {
    const bytes = fromBase64(b64);
    mod = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    mod = null;
  }
  compiled.set(b64, mod);
  return mod;
}

const PAGE = 65536;

/**
 * An instance of a kernel module and its memory: the module's own exported memory, or an
 * imported `env.memory` (a shared one for the multi-threaded kernels).
 */
export class KernelInstance<E extends object> {
  readonly exports: E;
  readonly memory: WebAssembly.Memory;

  /** Instantiates `mod`; pass `memory` when the module imports `env.memory`. */
  constructor(mod: WebAssembly.Module, memory?: WebAssembly.Memory) {
    const inst = new WebAssembly.Instance(mod, memory ? { env: { memory } } : {});
    this.exports = inst.exports as unknown as E;
    const own = (inst.exports as { memory?: WebAssembly.Memory }).memory;
    const mem = memory ?? own;
    if (!mem) throw new Error('KernelInstance: the module neither exports nor imports a memory');
    this.memory = mem;
  }

  /** Grows the memory to at least `bytes` bytes (views taken before a growth are detached). */
  ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /** n float32s at byte offset `at`. */
  f32(at: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, n);
  }

  /** n int32s at byte offset `at`. */
  i32(at: number, n: number): Int32Array {
    return new Int32Array(this.memory.buffer, at, n);
  }

  /** n bytes at byte offset `at`. */
  u8(at: number, n: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, at, n);
  }
}

// 32-bit FNV-1a over bytes: content tags for weight shards and checkpoints, and dataset fingerprints.

/**
 * FNV-1a (32-bit) of a byte sequence; values outside 0..255 are taken modulo 256.
 * @example fnv1a(new TextEncoder().encode('a')) // 0xe40c292c
 */
export function fnv1a(bytes: ArrayLike<number>): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= (bytes[i] as number) & 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

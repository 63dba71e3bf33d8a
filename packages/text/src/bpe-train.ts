// BPE merge learning: incremental pair counts, a pair → words index and a lazy max-heap.
import { PairHeap } from './heap';

/** Pair keys are `left * PAIR + right`; ids stay below 2^20 (a million-token vocab). */
export const PAIR = 2 ** 20;

/**
 * Learn up to `maxMerges` merges over `words` (symbol-id sequences with frequencies `freq`; the
 * arrays are rewritten in place). Merge i creates id `firstId + i`. A merge revisits only the words
 * that contain its pair and pushes changed pair counts onto the heap; stale heap entries are skipped
 * when popped. Ties go to the smaller pair key, so the result is deterministic. Returns a flat
 * [left, right, …] list.
 */
export function learnMerges(
  words: number[][],
  freq: number[],
  firstId: number,
  maxMerges: number,
  minCount: number,
): number[] {
  const counts = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  words.forEach((w, wi) => {
    const f = freq[wi] as number;
    for (let i = 0; i + 1 < w.length; i++) {
      const k = (w[i] as number) * PAIR + (w[i + 1] as number);
      counts.set(k, (counts.get(k) ?? 0) + f);
      const s = where.get(k);
      if (s) s.add(wi);
      else where.set(k, new Set([wi]));
    }
  });
  const heap = new PairHeap();
  for (const [k, c] of counts) heap.push(c, k);
  const merges: number[] = [];
  while (merges.length / 2 < maxMerges) {
    const top = heap.pop();
    if (!top) break;
    const [c, key] = top;
    if (counts.get(key) !== c) continue; // stale entry; the current count was pushed when it changed
    if (c < minCount) break;
    const a = Math.floor(key / PAIR);
    const b = key % PAIR;
    const id = firstId + merges.length / 2;
    merges.push(a, b);
    const changed = new Set<number>();
    const bump = (k: number, d: number, wi: number) => {
      counts.set(k, (counts.get(k) ?? 0) + d);
      changed.add(k);
      if (d > 0) {
        const s = where.get(k);
        if (s) s.add(wi);
        else where.set(k, new Set([wi]));
      }
    };
    for (const wi of where.get(key) ?? []) {
      const w = words[wi] as number[];
      const f = freq[wi] as number;
      let has = false;
      for (let i = 0; i + 1 < w.length; i++) if (w[i] === a && w[i + 1] === b) has = true;
      if (!has) continue;
      for (let i = 0; i + 1 < w.length; i++)
        bump((w[i] as number) * PAIR + (w[i + 1] as number), -f, wi);
      const next: number[] = [];
      for (let i = 0; i < w.length; i++) {
        if (i + 1 < w.length && w[i] === a && w[i + 1] === b) {
          next.push(id);
          i++;
        } else next.push(w[i] as number);
      }
      words[wi] = next;
      for (let i = 0; i + 1 < next.length; i++)
        bump((next[i] as number) * PAIR + (next[i + 1] as number), f, wi);
    }
    where.delete(key);
    counts.delete(key);
    for (const k of changed) {
      const n = counts.get(k) ?? 0;
      if (n > 0 && k !== key) heap.push(n, k);
      else counts.delete(k);
    }
  }
  return merges;
}

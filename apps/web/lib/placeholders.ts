// Finds format placeholders (%s, %1$s, {name}, ${x}, %1, %(name)s) so the UI can show them as chips.

/**
 * One alternation, longest forms first. `%%` is matched so it is *not* taken for a placeholder
 * (it is a literal percent sign in printf strings). The space flag is left out of plain `%` forms
 * so prose like "50 % off" is not read as `% o`.
 */
const PLACEHOLDER =
  /%%|%\d+\$[-+ 0#']*\d*(?:\.\d+)?[a-zA-Z]|%\([A-Za-z_]\w*\)[-+ 0#]*\d*(?:\.\d+)?[a-zA-Z]|%[-+0#']*\d*(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t|q)?[diouxXeEfFgGaAcsSp@]|%\d+|\$\{[A-Za-z_][\w.]*\}|\{[A-Za-z_][\w.]*\}|\{\d+\}/g;

export type Segment = { kind: 'text'; value: string } | { kind: 'placeholder'; value: string };

/**
 * Splits text into plain runs and placeholders; joining the values gives the input back.
 *
 * @example
 * splitPlaceholders('Open %s in {app}');
 * // [{kind:'text',value:'Open '},{kind:'placeholder',value:'%s'},{kind:'text',value:' in '},{kind:'placeholder',value:'{app}'}]
 */
export function splitPlaceholders(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  const pushText = (s: string) => {
    if (!s) return;
    const prev = out[out.length - 1];
    if (prev?.kind === 'text') prev.value += s;
    else out.push({ kind: 'text', value: s });
  };
  for (const m of text.matchAll(PLACEHOLDER)) {
    const at = m.index ?? 0;
    pushText(text.slice(last, at));
    if (m[0] === '%%') pushText(m[0]);
    else out.push({ kind: 'placeholder', value: m[0] });
    last = at + m[0].length;
  }
  pushText(text.slice(last));
  return out;
}

/** The placeholders in `text`, in order, with repeats. */
export function findPlaceholders(text: string): string[] {
  return splitPlaceholders(text)
    .filter((s) => s.kind === 'placeholder')
    .map((s) => s.value);
}

/**
 * Placeholders of `source` that `target` lacks (as a multiset: a placeholder used twice must
 * appear twice). Empty when the translation kept them all.
 */
export function missingPlaceholders(source: string, target: string): string[] {
  const have = new Map<string, number>();
  for (const p of findPlaceholders(target)) have.set(p, (have.get(p) ?? 0) + 1);
  const missing: string[] = [];
  for (const p of findPlaceholders(source)) {
    const n = have.get(p) ?? 0;
    if (n > 0) have.set(p, n - 1);
    else missing.push(p);
  }
  return missing;
}

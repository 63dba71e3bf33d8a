// How subword tokens are drawn: invisible ones (spaces, line breaks) get a visible stand-in.

const STAND_INS: Record<string, string> = { ' ': '␣', '\n': '↵', '\t': '⇥' };

/**
 * A token as shown in the heatmap: whitespace made visible, everything else unchanged.
 *
 * @example
 * displayToken(' ');   // '␣'
 * displayToken('file'); // 'file'
 */
export function displayToken(token: string): string {
  if (token === '') return '∅';
  if (token.trim() !== '') return token;
  return [...token].map((c) => STAND_INS[c] ?? '·').join('');
}

// fast-check arbitraries shared by the text tests: hostile Unicode strings.
import fc from 'fast-check';

/** One UTF-16 unit anywhere in 0–FFFF: lone surrogates, controls, RTL marks included. */
const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
/** Interesting fragments: emoji (astral, ZWJ), RTL text, placeholders and lookalikes. */
const fragment = fc.constantFrom(
  '🙂',
  '👩‍👩‍👧',
  'שלום',
  'مرحبا',
  '\u200f',
  '\u0000',
  '\t',
  '\r\n',
  '  ',
  'é',
  'e\u0301',
  '%s',
  '%1$s',
  '%%',
  '{name}',
  '{0}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal `${var}` placeholder syntax is under test
  '${var}',
  '$HOME',
  '%1',
  '⟨ph0⟩',
  '⟨ph99⟩',
  '⟨ph',
  '%(x)d',
  '%PRODUCTNAME',
  '&',
  '_',
  '~',
);

/** Strings mixing any UTF-16 units, full code points and the fragments above. */
export const hostileString = fc.string({
  unit: fc.oneof(utf16Unit, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fragment),
  maxLength: 40,
});

// Unicode helpers shared by the tokenizer: well-formed strings and UTF-8 bytes.

/**
 * `s` with every lone surrogate replaced by U+FFFD (what String.prototype.toWellFormed does; written
 * out because the ES2022 lib has no typing for it). UTF-8 cannot hold a lone surrogate, so the
 * tokenizer's round trip is defined on this form.
 * @example toWellFormed('a\uD800b') // 'a\uFFFDb'
 */
export function toWellFormed(s: string): string {
  return s.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** UTF-8 bytes of a (well-formed) string. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decode UTF-8 bytes; invalid sequences (a model can emit them) become U+FFFD. */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

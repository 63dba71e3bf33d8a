// Text with its format placeholders (%s, {name}, …) drawn as chips; always rendered as text, never HTML.
import { splitPlaceholders } from '@seqlab/text';

/** Renders `text` with placeholders as chips. */
export function PlaceholderText({ text }: { text: string }) {
  return (
    <>
      {splitPlaceholders(text).map((s, i) =>
        s.kind === 'placeholder' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and re-derived from text.
          <span key={i} className="chip" title="placeholder: kept verbatim">
            {s.value}
          </span>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: as above.
          <span key={i}>{s.value}</span>
        ),
      )}
    </>
  );
}

'use client';
// Copies text to the clipboard and says whether it worked.
import { useState } from 'react';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2000);
  };
  return (
    <>
      <button type="button" onClick={copy} disabled={!text} data-testid="copy">
        {label}
      </button>
      <span aria-live="polite" className="muted small">
        {state === 'copied'
          ? 'Copied.'
          : state === 'failed'
            ? 'Copy is blocked here: select the text and copy it.'
            : ''}
      </span>
    </>
  );
}

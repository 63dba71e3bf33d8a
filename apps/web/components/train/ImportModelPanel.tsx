'use client';
// "Use your own model" on /translate and /caption: a closed panel whose code (zip reading,
// IndexedDB, its own worker) loads only when it is opened, so the demos start as fast as before.
import dynamic from 'next/dynamic';
import { useState } from 'react';

const ImportModel = dynamic(() => import('./ImportModel').then((m) => m.ImportModel), {
  ssr: false,
  loading: () => <p className="muted small">loading…</p>,
});

export function ImportModelPanel({ task }: { task: 'translate' | 'caption' }) {
  const [open, setOpen] = useState(false);
  return (
    <details
      className="model-card"
      data-testid="import-panel"
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>Use your own model (trained in /train or with the command line)</summary>
      {open ? <ImportModel task={task} /> : null}
    </details>
  );
}

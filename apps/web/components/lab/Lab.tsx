'use client';
// The RNN lab page: six sections, each a short text beside a live model in the lab worker.
import { type ComponentType, useEffect, useRef, useState } from 'react';
import { labClient } from '@/lib/lab-client';
import type { BackendInfo } from '@/lib/protocol';
import { BidirectionalSection } from './BidirectionalSection';
import { BpttSection } from './BpttSection';
import { ForecastSection } from './ForecastSection';
import { GatesSection } from './GatesSection';
import { GradientsSection } from './GradientsSection';
import { LazyCharts, useInView } from './PlotFigure';
import { TypesSection } from './TypesSection';

const SECTIONS = [
  {
    id: 'types',
    title: '1. Four shapes of recurrent network',
    text: 'A recurrent network reads a sequence one step at a time and carries a hidden state from step to step. What goes in and what comes out gives four shapes; each one below runs a real model in your browser.',
    Body: TypesSection,
  },
  {
    id: 'bptt',
    title: '2. Forward and backward through time',
    text: 'Training unrolls the network over the sequence: one copy per step, all sharing the same weights. The forward pass computes every hidden state and the loss; the backward pass sends the gradient from the last step to the first, adding at each step what that step’s own loss contributes. One update moves every weight against its gradient. This tiny model (8 units) learns to predict the next character of your text — press the update button and watch the loss fall.',
    Body: BpttSection,
  },
  {
    id: 'gradients',
    title: '3. Vanishing and exploding gradients, and the fixes',
    text: 'In the adding problem two numbers are marked somewhere in a long sequence and the answer is their sum; in the copy task five symbols must be repeated after a long pause. Either way the gradient must travel back many steps. Going back, it is multiplied by the recurrent weights at every step: it shrinks towards zero (vanishes) or blows up (explodes). Try a long sequence, a gain above or below 1, ReLU with identity init (IRNN), clipping, truncation — and compare the gated GRU and LSTM, whose additive memory lets gradients through.',
    Body: GradientsSection,
  },
  {
    id: 'gates',
    title: '4. Inside an LSTM: the gates',
    text: 'An LSTM cell keeps a memory c. Each step, the forget gate decides how much of it to keep, the input gate how much new content to write, and the output gate how much of the memory to show as the hidden state h. These are the real values from the shipped translator’s encoder and the language-ID model reading your sentence.',
    Body: GatesSection,
  },
  {
    id: 'bidirectional',
    title: '5. Bidirectional networks',
    text: 'A forward RNN at step t has read only what came before. Whether a digit is a local peak depends on the digit after it too, which a second RNN reading right to left has already seen. Both taggers below train on the same batches in your browser; the only difference is the backward direction.',
    Body: BidirectionalSection,
  },
  {
    id: 'forecast',
    title: '6. Application: forecasting a time series',
    text: 'An LSTM learns the month-to-month changes of the Mauna Loa CO₂ record and forecasts the last years, which it never saw, with a 95% band from its own predicted uncertainty. The honest comparison is a seasonal-naive forecast: each month repeats the same month a year earlier.',
    Body: ForecastSection,
  },
];

export function Lab() {
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    labClient()
      .call({ type: 'init' })
      .then(
        (r) => setBackend(r.backend),
        (e: Error) => setError(e.message),
      );
  }, []);
  return (
    <>
      <h1>RNN lab</h1>
      <p className="lede">
        Every idea of a classic RNN primer, on real models: pretrained ones from this site, or small
        ones trained right here in a Web Worker while you watch. Nothing is pre-recorded.
      </p>
      <p className="status small" data-testid="backend">
        {backend
          ? `Backend: ${backend.name} — ${backend.reason}`
          : error
            ? `Lab worker failed: ${error}`
            : 'Starting the lab worker…'}
      </p>
      <nav aria-label="Lab sections" className="lab-toc">
        {SECTIONS.map((s) => (
          <a key={s.id} href={`#${s.id}`}>
            {s.title}
          </a>
        ))}
      </nav>
      <LazyCharts.Provider value={true}>
        {SECTIONS.map((s) => (
          <LabSection key={s.id} {...s} />
        ))}
      </LazyCharts.Provider>
    </>
  );
}

/**
 * One section; its live part mounts when the section first comes into view, so models
 * load and charts render only for what the reader reaches (and the page stays light).
 */
function LabSection({
  id,
  title,
  text,
  Body,
}: {
  id: string;
  title: string;
  text: string;
  Body: ComponentType;
}) {
  const ref = useRef<HTMLElement>(null);
  const seen = useInView(ref, true, '0px');
  return (
    <section
      ref={ref}
      id={id}
      className="lab-section"
      aria-labelledby={`${id}-title`}
      data-testid={`lab-${id}`}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <p>{text}</p>
      {seen ? <Body /> : <p className="muted small">The live part loads when you scroll here.</p>}
    </section>
  );
}

// Home page: what seqlab is, and links to each demo.
import Link from 'next/link';
import { DEMOS } from '@/lib/demos';

export default function Home() {
  return (
    <>
      <h1>seqlab</h1>
      <p>
        An open toolkit for recurrent sequence models on the web: a fused LSTM core, an
        encoder-decoder with attention and beam search, and a CNN feature extractor, all on
        TensorFlow.js. Every model here runs in your browser; there is no inference server.
      </p>
      <div className="cards">
        {DEMOS.map((d) => (
          <section className="card" key={d.href} aria-labelledby={`demo-${d.id}`}>
            <h2 id={`demo-${d.id}`}>
              {/* No prefetch of the lab or /train: their JavaScript loads only when someone opens them. */}
              {d.ready ? (
                <Link href={d.href} prefetch={d.prefetch === false ? false : null}>
                  {d.title}
                </Link>
              ) : (
                d.title
              )}
            </h2>
            <p className="muted">{d.kind}</p>
            <p>{d.blurb}</p>
            {d.ready ? null : <p className="muted">Coming soon.</p>}
          </section>
        ))}
      </div>
    </>
  );
}

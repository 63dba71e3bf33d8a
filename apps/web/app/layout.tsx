// Root layout: shared shell (header nav) for every page of the seqlab app.
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { ServiceWorker } from '@/components/common/ServiceWorker';
import { bootScript } from '@/lib/boot';
import { DEMOS } from '@/lib/demos';
import './globals.css';

export const metadata: Metadata = {
  title: 'seqlab — recurrent sequence models in your browser',
  description:
    'LSTM encoder-decoder translation, image captioning and an RNN lab, running entirely in the browser with TensorFlow.js.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        {/* Starts the demo's model worker before the app's own scripts load (lib/boot.ts). */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: fixed code and constants from lib/boot.ts, built at prerender; nothing user-provided */}
        <script id="seqlab-boot" dangerouslySetInnerHTML={{ __html: bootScript() }} />
      </head>
      <body>
        <header className="site-header">
          <a href="/" className="brand">
            seqlab
          </a>
          <nav aria-label="Main">
            {DEMOS.filter((d) => d.ready).map((d) => (
              <a key={d.id} href={d.href}>
                {d.title}
              </a>
            ))}
          </nav>
        </header>
        <main id="main">{children}</main>
        <footer className="site-footer">
          Everything runs in your browser. Nothing you type or upload leaves this page.
        </footer>
        <ServiceWorker />
      </body>
    </html>
  );
}

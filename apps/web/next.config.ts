// Next.js config: workspace packages are TypeScript sources, so Next transpiles them.
import type { NextConfig } from 'next';

const csp = [
  "default-src 'self'",
  // wasm backend needs wasm-unsafe-eval; Next's inline bootstrap scripts need 'unsafe-inline' without a nonce.
  "script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const config: NextConfig = {
  reactStrictMode: true,
  transpilePackages: [
    '@seqlab/rnn',
    '@seqlab/kernels',
    '@seqlab/seq2seq',
    '@seqlab/text',
    '@seqlab/vision',
    '@seqlab/models',
    '@seqlab/data',
    '@seqlab/lab',
    '@seqlab/train',
  ],
  poweredByHeader: false,
  // No on-the-fly gzip in `next start`: on loopback it costs the CPU a first visit needs (first
  // translation medians 0.93–1.02 s with it, 0.87–0.95 s without, same minutes). A deployment
  // puts a compressing proxy or CDN in front, as Next's docs advise for self-hosting; the perf
  // script budgets the JavaScript in gzip bytes.
  compress: false,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'Content-Security-Policy', value: csp },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Permissions-Policy', value: 'camera=(self), microphone=(), geolocation=()' },
        ],
      },
      {
        // /train is cross-origin isolated, so its training worker can share memory with more
        // threads: the kernels run on every core. All it loads is same-origin (require-corp
        // accepts that); its workers must send COEP too, or an isolated page may not start them.
        source: '/train',
        headers: [
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { key: 'Cross-Origin-Embedder-Policy', value: 'require-corp' },
        ],
      },
      {
        source: '/workers/:path*',
        headers: [{ key: 'Cross-Origin-Embedder-Policy', value: 'require-corp' }],
      },
      {
        // The service worker must be re-checked on every visit, or a fixed bug would stick around.
        source: '/sw.js',
        headers: [{ key: 'Cache-Control', value: 'no-cache' }],
      },
      {
        // esbuild names worker chunks by content hash (scripts/build-workers.mjs); the entries
        // (/workers/translate.js, caption.js) keep stable names and are revalidated.
        source: '/workers/:chunk(chunk-[A-Z0-9]+\\.js)',
        headers: [{ key: 'Cache-Control', value: 'public, max-age=31536000, immutable' }],
      },
      {
        source: '/wasm/:path*',
        headers: [{ key: 'Cache-Control', value: 'public, max-age=604800' }],
      },
      {
        source: '/models/:path*',
        // Model file names carry no content hash, so browsers revalidate daily (the service worker keeps them offline).
        headers: [
          { key: 'Cache-Control', value: 'public, max-age=86400, stale-while-revalidate=604800' },
        ],
      },
    ];
  },
};

export default config;

// seqlab service worker: after one visit the demos work offline (app shell, hashed assets, model workers, wasm, models, emoji).
// Hand-written on purpose: three strategies, no build step, easy to audit.
const CACHE = 'seqlab-v1';
const SHELL = ['/', '/translate', '/caption'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function put(request, response) {
  // Only complete, same-origin 200s are stored: a 206 range reply or an error page must never be replayed.
  if (response.ok && response.status === 200 && response.type === 'basic') {
    const c = await caches.open(CACHE);
    await c.put(request, response.clone());
  }
  return response;
}

/** Hashed Next.js assets never change under the same URL: the cache answers, the network fills it. */
async function cacheFirst(request) {
  const hit = await caches.match(request);
  return hit ?? put(request, await fetch(request));
}

/** Pages and RSC payloads reference the current hashed assets: try the network, fall back offline. */
async function networkFirst(request) {
  try {
    return await put(request, await fetch(request));
  } catch (e) {
    const hit = (await caches.match(request)) ?? (request.mode === 'navigate' ? await caches.match(new URL(request.url).pathname) : undefined);
    if (hit) return hit;
    throw e;
  }
}

/**
 * Models, workers, wasm and emoji: answer from the cache at once, refresh it in the background. The
 * refresh revalidates with the server (cache: 'no-cache'), because /models is served with a
 * year-long max-age yet its file names carry no hash: a retrained model must still arrive.
 */
async function staleWhileRevalidate(event) {
  const hit = await caches.match(event.request);
  const refresh = fetch(event.request, hit ? { cache: 'no-cache' } : undefined).then((r) => put(event.request, r));
  if (hit) {
    event.waitUntil(refresh.catch(() => undefined));
    return hit;
  }
  return refresh;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/_next/static/')) event.respondWith(cacheFirst(request));
  else if (/^\/(models|wasm|emoji|workers)\//.test(url.pathname)) event.respondWith(staleWhileRevalidate(event));
  else if (request.mode === 'navigate' || url.searchParams.has('_rsc') || request.headers.get('RSC') === '1') {
    event.respondWith(networkFirst(request));
  }
});

'use client';
// Registers the offline service worker (production builds only: in dev it would cache stale modules).
import { useEffect } from 'react';

export function ServiceWorker() {
  useEffect(() => {
    if (process.env.NODE_ENV !== 'production' || !('serviceWorker' in navigator)) return;
    navigator.serviceWorker.register('/sw.js').catch((e: unknown) => {
      // Offline support is a bonus; the page works without it.
      console.warn('service worker not registered:', e);
    });
  }, []);
  return null;
}

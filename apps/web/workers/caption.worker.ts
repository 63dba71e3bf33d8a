// Web Worker that owns the captioning models and tfjs; the page only exchanges messages with it.
import { serve } from './host';
import { parsePreload } from './preload';

// lib/boot.ts may start this worker before the page's scripts, naming in the URL's fragment the
// model to load at once.
const preload = parsePreload(self.location.hash);
serve(self as unknown as Parameters<typeof serve>[0], 'caption', preload ? { preload } : {});

// Web Worker that owns the captioning models and tfjs; the page only exchanges messages with it.
import { serve } from './host';

serve(self as unknown as Parameters<typeof serve>[0], 'caption');

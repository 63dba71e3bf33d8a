// Image header parsing (pure); decoding lives in '@seqlab/data/node'.
export { readImageHeader, type ImageHeader, type RgbaImage } from './header';
